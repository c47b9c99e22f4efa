/*
 * Test double for ws2_32's part at process exit, for the shim's tests under Wine. ws2_32 loaded the
 * provider DLL, so the loader detaches the provider first; ws2_32's own DLL_PROCESS_DETACH may then
 * still call the provider's WSPCleanup. shim_host loads this DLL before the shim (so it is detached
 * after it) and arms it with the WSPCleanup the shim returned; at process exit it calls that and
 * writes what happened to a report file:
 *
 *   exit.cleanup_status=N            what WSPCleanup returned
 *   exit.java_cleanups_before=N      the fake jvm.dll's count of Java WSPCleanups before the call
 *   exit.java_cleanups_after=N       ... and after it
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdio.h>

#include "wsp4j_shim.h"

static shim_wsp_cleanup_fn armed_cleanup;
static const volatile int *java_cleanups;
static char report_path[MAX_PATH];

__declspec(dllexport) void exit_stand_in_arm(shim_wsp_cleanup_fn cleanup, const volatile int *java_cleanup_count,
                                             const char *report) {
  armed_cleanup = cleanup;
  java_cleanups = java_cleanup_count;
  lstrcpynA(report_path, report, MAX_PATH);
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
  char text[256];
  int before;
  int status;
  int error = 0;
  HANDLE file;
  DWORD written;
  (void) instance;
  /* reserved != NULL: the process is exiting (not a FreeLibrary), as in ws2_32's case. */
  if (reason != DLL_PROCESS_DETACH || reserved == NULL || armed_cleanup == NULL)
    return TRUE;
  before = java_cleanups != NULL ? *java_cleanups : -1;
  status = armed_cleanup(&error);
  snprintf(text, sizeof text, "exit.cleanup_status=%d\nexit.java_cleanups_before=%d\nexit.java_cleanups_after=%d\n",
           status, before, java_cleanups != NULL ? *java_cleanups : -1);
  file = CreateFileA(report_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (file != INVALID_HANDLE_VALUE) {
    WriteFile(file, text, (DWORD) lstrlenA(text), &written, NULL);
    CloseHandle(file);
  }
  return TRUE;
}
