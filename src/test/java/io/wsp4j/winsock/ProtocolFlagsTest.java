package io.wsp4j.winsock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProtocolFlagsTest {
    @Test
    void describesServiceFlags() {
        assertEquals("0", ProtocolFlags.describeServiceFlags(0));
        assertEquals("XP1_GUARANTEED_ORDER|XP1_IFS_HANDLES",
                ProtocolFlags.describeServiceFlags(ProtocolFlags.XP1_IFS_HANDLES | ProtocolFlags.XP1_GUARANTEED_ORDER));
        assertEquals("XP1_CONNECTIONLESS|0x80000000", ProtocolFlags.describeServiceFlags(0x80000001));
    }

    @Test
    void describesProviderFlags() {
        assertEquals("PFL_HIDDEN", ProtocolFlags.describeProviderFlags(ProtocolFlags.PFL_HIDDEN));
        assertEquals("PFL_MULTIPLE_PROTO_ENTRIES|PFL_RECOMMENDED_PROTO_ENTRY|0x100",
                ProtocolFlags.describeProviderFlags(ProtocolFlags.PFL_MULTIPLE_PROTO_ENTRIES | ProtocolFlags.PFL_RECOMMENDED_PROTO_ENTRY | 0x100));
    }

    @Test
    void windowsValues() {
        // winsock2.h
        assertEquals(0x00020000, ProtocolFlags.XP1_IFS_HANDLES);
        assertEquals(0x00000004, ProtocolFlags.PFL_HIDDEN);
    }
}
