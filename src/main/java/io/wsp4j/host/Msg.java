package io.wsp4j.host;

/** A posted window message, as GetMessage returns it. */
public record Msg(long hWnd, int message, long wParam, long lParam) {}
