package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * The process environment that native code in this process reads with getenv (the shim reads
 * {@code WSP4J_SHIM_CONFIG}). Java's {@code System.getenv} is a copy taken at start-up and cannot be
 * changed, so the host sets variables through libc's setenv.
 */
public final class ProcessEnvironment {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SETENV = LINKER.downcallHandle(
            LINKER.defaultLookup().find("setenv").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle UNSETENV = LINKER.downcallHandle(
            LINKER.defaultLookup().find("unsetenv").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private ProcessEnvironment() {}

    /** setenv(name, value, overwrite = 1); a failure (EINVAL, ENOMEM) is an IllegalStateException. */
    public static void set(String name, String value) {
        try (Arena arena = Arena.ofConfined()) {
            if ((int) SETENV.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 1) != 0) {
                throw new IllegalStateException("setenv(" + name + ") failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void unset(String name) {
        try (Arena arena = Arena.ofConfined()) {
            if ((int) UNSETENV.invokeExact(arena.allocateFrom(name)) != 0) {
                throw new IllegalStateException("unsetenv(" + name + ") failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
