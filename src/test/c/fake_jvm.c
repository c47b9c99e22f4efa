/*
 * Test double for jvm.dll, for the shim's tests under Wine (which has no JVM). It exports
 * JNI_GetCreatedJavaVMs and JNI_CreateJavaVM over a small fake JavaVM and JNIEnv that implement only
 * the JNI functions the shim calls (any other one ends the process with exit code 97), record what
 * they are asked, and answer as the environment says:
 *
 *   FAKE_JVM_EXISTS=1         JNI_GetCreatedJavaVMs reports a JVM already in the process (attach path)
 *   FAKE_JVM_CREATE_STATUS=n  what JNI_CreateJavaVM returns (default JNI_OK)
 *   FAKE_JVM_FAIL=class       Class.forName of the entry class throws ClassNotFoundException
 *   FAKE_JVM_FAIL=method      GetStaticMethodID of the entry method fails with NoSuchMethodError
 *   FAKE_JVM_FAIL=call        the entry method throws IllegalStateException
 *   FAKE_JVM_RESULT=n         what the entry method returns (default 0)
 *   FAKE_JVM_REENTER=1        the entry method first calls the shim's WSPStartup again on the same
 *                             thread, as a JVM making a Winsock call while it starts would
 *
 * The entry method plays Java's WSPStartup: it fills the proc table with 30 markers
 * (FAKE_JAVA_MARKER + i) before it returns or throws (a failed one leaves a half-written table), and
 * entry 5, lpWSPCleanup, is fake_java_cleanup, a real function that counts its calls.
 * fake_jvm_report() prints the record as fake.* key=value lines (shim_host calls it).
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define _JNI_IMPLEMENTATION_ /* jni.h then declares the JNI_* entry points as exports, as the real jvm.dll does */
#include <jni.h>

#include "wsp4j_shim.h"

#define FAKE_JAVA_MARKER 0x4a415600u
#define FAKE_MAX_RECORDS 16
#define FAKE_UPCALLS (sizeof(shim_upcall_table) / sizeof(shim_proc))

/* Objects are addresses of these: distinct, never dereferenced by the shim. */
typedef struct fake_object {
  const char *what;
  char text[1024]; /* a string's UTF-8, a throwable's toString() */
} fake_object;

static fake_object class_loader_class = {"class java/lang/ClassLoader", ""};
static fake_object class_class = {"class java/lang/Class", ""};
static fake_object throwable_class = {"class java/lang/Throwable", ""};
static fake_object entry_class = {"the entry class", ""};
static fake_object system_loader = {"the system class loader", ""};
static fake_object class_not_found = {"throwable", "java.lang.ClassNotFoundException: (fake) no such class"};
static fake_object no_such_method = {"throwable", "java.lang.NoSuchMethodError: (fake) wspStartup"};
static fake_object entry_threw = {"throwable", "java.lang.IllegalStateException: (fake) the entry refuses to start"};
static fake_object no_class_def = {"throwable", "java.lang.NoClassDefFoundError: (fake) unknown class"};
static fake_object strings[FAKE_MAX_RECORDS];
static int string_count;

static char method_get_system_class_loader, method_for_name, method_entry, method_to_string;

/* The record. */
static int get_created_calls, create_calls, create_version = -1, create_ignore_unrecognized = -1;
static char *options[FAKE_MAX_RECORDS];
static int option_count = -1;
static const char *found_classes[FAKE_MAX_RECORDS];
static int found_class_count;
static char static_methods[FAKE_MAX_RECORDS][256];
static int static_method_count;
static char for_name[1024];
static int for_name_initialize = -1;
static int entry_calls, entry_version;
static jlong entry_wsp_data, entry_protocol_info, entry_upcall_table, entry_proc_table;
static shim_proc entry_upcalls[FAKE_UPCALLS];
static int get_env_calls, get_env_version, attach_daemon_calls, detach_calls, exception_clears;
static int frames_pushed, frames_popped;
static fake_object *pending;
static int nested_status = -1;
static shim_proc nested_first;
__declspec(dllexport) volatile int fake_jvm_cleanups;

static _Thread_local int thread_attached;
static int vm_exists;

static int env_int(const char *name, int otherwise) {
  const char *value = getenv(name);
  return value != NULL && value[0] != '\0' ? atoi(value) : otherwise;
}

static int fails_at(const char *where) {
  const char *value = getenv("FAKE_JVM_FAIL");
  return value != NULL && strcmp(value, where) == 0;
}

static void unexpected_jni_call(void) {
  fflush(stdout);
  fprintf(stderr, "fake jvm.dll: the shim called a JNI function the fake does not implement\n");
  exit(97);
}

static int fake_java_cleanup(int *errno_out) {
  (void) errno_out;
  fake_jvm_cleanups++;
  return 0;
}

/* ---- JNIEnv ---- */

static jclass JNICALL fake_find_class(JNIEnv *env, const char *name) {
  (void) env;
  if (found_class_count < FAKE_MAX_RECORDS)
    found_classes[found_class_count++] = name; /* the shim passes literals */
  if (strcmp(name, "java/lang/ClassLoader") == 0)
    return (jclass) &class_loader_class;
  if (strcmp(name, "java/lang/Class") == 0)
    return (jclass) &class_class;
  if (strcmp(name, "java/lang/Throwable") == 0)
    return (jclass) &throwable_class;
  pending = &no_class_def;
  return NULL;
}

static jmethodID JNICALL fake_get_static_method_id(JNIEnv *env, jclass clazz, const char *name, const char *signature) {
  fake_object *owner = (fake_object *) clazz;
  (void) env;
  if (static_method_count < FAKE_MAX_RECORDS)
    snprintf(static_methods[static_method_count++], sizeof static_methods[0], "%s %s%s",
             owner == &entry_class ? "entry" : owner->what, name, signature);
  if (owner == &class_loader_class && strcmp(name, "getSystemClassLoader") == 0)
    return (jmethodID) &method_get_system_class_loader;
  if (owner == &class_class && strcmp(name, "forName") == 0)
    return (jmethodID) &method_for_name;
  if (owner == &entry_class && strcmp(name, "wspStartup") == 0 && strcmp(signature, "(SJJJJ)I") == 0 && !fails_at("method"))
    return (jmethodID) &method_entry;
  pending = &no_such_method;
  return NULL;
}

static jmethodID JNICALL fake_get_method_id(JNIEnv *env, jclass clazz, const char *name, const char *signature) {
  (void) env;
  if ((fake_object *) clazz == &throwable_class && strcmp(name, "toString") == 0 && strcmp(signature, "()Ljava/lang/String;") == 0)
    return (jmethodID) &method_to_string;
  return NULL;
}

static jstring new_string(const char *text) {
  fake_object *string;
  if (string_count == FAKE_MAX_RECORDS)
    return NULL;
  string = &strings[string_count++];
  string->what = "string";
  snprintf(string->text, sizeof string->text, "%s", text);
  return (jstring) string;
}

static jstring JNICALL fake_new_string_utf(JNIEnv *env, const char *utf) {
  (void) env;
  return new_string(utf);
}

static jobject JNICALL fake_call_static_object_method(JNIEnv *env, jclass clazz, jmethodID method, ...) {
  va_list args;
  jobject result = NULL;
  (void) env, (void) clazz;
  va_start(args, method);
  if (method == (jmethodID) &method_get_system_class_loader) {
    result = (jobject) &system_loader;
  } else if (method == (jmethodID) &method_for_name) {
    fake_object *name = va_arg(args, fake_object *);
    for_name_initialize = va_arg(args, int); /* jboolean, promoted */
    snprintf(for_name, sizeof for_name, "%s", name != NULL ? name->text : "(null)");
    if (va_arg(args, fake_object *) != &system_loader || fails_at("class"))
      pending = &class_not_found;
    else
      result = (jobject) &entry_class;
  }
  va_end(args);
  return result;
}

static jint JNICALL fake_call_static_int_method(JNIEnv *env, jclass clazz, jmethodID method, ...) {
  va_list args;
  shim_proc_table *table;
  int i;
  (void) env;
  if ((fake_object *) clazz != &entry_class || method != (jmethodID) &method_entry)
    unexpected_jni_call();
  entry_calls++;
  va_start(args, method);
  entry_version = va_arg(args, int); /* jshort, promoted */
  entry_wsp_data = va_arg(args, jlong);
  entry_protocol_info = va_arg(args, jlong);
  entry_upcall_table = va_arg(args, jlong);
  entry_proc_table = va_arg(args, jlong);
  va_end(args);
  memcpy(entry_upcalls, (const void *) (intptr_t) entry_upcall_table, sizeof entry_upcalls);
  if (env_int("FAKE_JVM_REENTER", 0)) {
    void *symbol = (void *) GetProcAddress(GetModuleHandleA("wsp4j_shim.dll"), "WSPStartup");
    shim_wsp_startup_fn shim_startup;
    shim_upcall_table upcalls;
    shim_wsp_data nested_data;
    shim_proc_table nested_table;
    memcpy(&shim_startup, &symbol, sizeof shim_startup);
    memcpy(&upcalls, entry_upcalls, sizeof upcalls);
    memset(&nested_table, 0, sizeof nested_table);
    if (shim_startup != NULL) {
      nested_status = shim_startup((shim_word) entry_version, &nested_data, (shim_protocol_info *) (intptr_t) entry_protocol_info,
                                   upcalls, &nested_table);
      nested_first = nested_table.entries[0];
    }
  }
  table = (shim_proc_table *) (intptr_t) entry_proc_table;
  for (i = 0; i < SHIM_PROC_TABLE_ENTRIES; i++)
    table->entries[i] = (shim_proc) (uintptr_t) (FAKE_JAVA_MARKER + (unsigned) i);
  {
    shim_wsp_cleanup_fn cleanup = fake_java_cleanup;
    memcpy(&table->entries[SHIM_PROC_WSP_CLEANUP], &cleanup, sizeof cleanup);
  }
  if (fails_at("call")) {
    pending = &entry_threw;
    return 0;
  }
  return env_int("FAKE_JVM_RESULT", 0);
}

static jobject JNICALL fake_call_object_method(JNIEnv *env, jobject object, jmethodID method, ...) {
  (void) env;
  if (method != (jmethodID) &method_to_string)
    unexpected_jni_call();
  return new_string(((fake_object *) object)->text);
}

static const char *JNICALL fake_get_string_utf_chars(JNIEnv *env, jstring string, jboolean *is_copy) {
  (void) env;
  if (is_copy != NULL)
    *is_copy = JNI_FALSE;
  return ((fake_object *) string)->text;
}

static void JNICALL fake_release_string_utf_chars(JNIEnv *env, jstring string, const char *chars) {
  (void) env, (void) string, (void) chars;
}

static jthrowable JNICALL fake_exception_occurred(JNIEnv *env) {
  (void) env;
  return (jthrowable) pending;
}

static jboolean JNICALL fake_exception_check(JNIEnv *env) {
  (void) env;
  return pending != NULL;
}

static void JNICALL fake_exception_clear(JNIEnv *env) {
  (void) env;
  exception_clears++;
  pending = NULL;
}

static jint JNICALL fake_push_local_frame(JNIEnv *env, jint capacity) {
  (void) env, (void) capacity;
  frames_pushed++;
  return JNI_OK;
}

static jobject JNICALL fake_pop_local_frame(JNIEnv *env, jobject result) {
  (void) env;
  frames_popped++;
  return result;
}

static struct JNINativeInterface_ env_functions;
static const struct JNINativeInterface_ *fake_env = &env_functions;

/* ---- JavaVM ---- */

static jint JNICALL fake_get_env(JavaVM *vm, void **env, jint version) {
  (void) vm;
  get_env_calls++;
  get_env_version = version;
  if (!thread_attached)
    return JNI_EDETACHED;
  *env = (void *) &fake_env;
  return JNI_OK;
}

static jint JNICALL fake_attach_current_thread_as_daemon(JavaVM *vm, void **env, void *args) {
  (void) vm, (void) args;
  attach_daemon_calls++;
  thread_attached = 1;
  *env = (void *) &fake_env;
  return JNI_OK;
}

static jint JNICALL fake_detach_current_thread(JavaVM *vm) {
  (void) vm;
  detach_calls++;
  thread_attached = 0;
  return JNI_OK;
}

static struct JNIInvokeInterface_ vm_functions;
static const struct JNIInvokeInterface_ *fake_vm = &vm_functions;

static void fill_with_unexpected(void *table, size_t size) {
  void (*unexpected)(void) = unexpected_jni_call;
  size_t i;
  for (i = 0; i < size / sizeof unexpected; i++)
    memcpy((char *) table + i * sizeof unexpected, &unexpected, sizeof unexpected);
}

static void set_up(void) {
  static int done;
  if (done)
    return;
  done = 1;
  fill_with_unexpected(&env_functions, sizeof env_functions);
  env_functions.reserved0 = env_functions.reserved1 = env_functions.reserved2 = env_functions.reserved3 = NULL;
  env_functions.FindClass = fake_find_class;
  env_functions.GetStaticMethodID = fake_get_static_method_id;
  env_functions.GetMethodID = fake_get_method_id;
  env_functions.NewStringUTF = fake_new_string_utf;
  env_functions.CallStaticObjectMethod = fake_call_static_object_method;
  env_functions.CallStaticIntMethod = fake_call_static_int_method;
  env_functions.CallObjectMethod = fake_call_object_method;
  env_functions.GetStringUTFChars = fake_get_string_utf_chars;
  env_functions.ReleaseStringUTFChars = fake_release_string_utf_chars;
  env_functions.ExceptionOccurred = fake_exception_occurred;
  env_functions.ExceptionCheck = fake_exception_check;
  env_functions.ExceptionClear = fake_exception_clear;
  env_functions.PushLocalFrame = fake_push_local_frame;
  env_functions.PopLocalFrame = fake_pop_local_frame;
  fill_with_unexpected(&vm_functions, sizeof vm_functions);
  vm_functions.reserved0 = vm_functions.reserved1 = vm_functions.reserved2 = NULL;
  vm_functions.GetEnv = fake_get_env;
  vm_functions.AttachCurrentThreadAsDaemon = fake_attach_current_thread_as_daemon;
  vm_functions.DetachCurrentThread = fake_detach_current_thread;
  vm_exists = env_int("FAKE_JVM_EXISTS", 0);
}

JNIEXPORT jint JNICALL JNI_GetCreatedJavaVMs(JavaVM **vms, jsize capacity, jsize *count) {
  set_up();
  get_created_calls++;
  *count = vm_exists ? 1 : 0;
  if (vm_exists && capacity > 0)
    vms[0] = (JavaVM *) &fake_vm;
  return JNI_OK;
}

JNIEXPORT jint JNICALL JNI_CreateJavaVM(JavaVM **vm, void **env, void *args) {
  const JavaVMInitArgs *init = args;
  int status = env_int("FAKE_JVM_CREATE_STATUS", JNI_OK);
  int i;
  set_up();
  create_calls++;
  create_version = init->version;
  create_ignore_unrecognized = init->ignoreUnrecognized;
  option_count = init->nOptions;
  for (i = 0; i < init->nOptions && i < FAKE_MAX_RECORDS; i++) {
    const char *text = init->options[i].optionString;
    size_t length = strlen(text);
    size_t j;
    options[i] = malloc(2 * length + 1);
    for (j = 0; j < length; j++)
      sprintf(options[i] + 2 * j, "%02x", (unsigned char) text[j]);
    options[i][2 * length] = '\0';
  }
  if (status != JNI_OK)
    return status;
  vm_exists = 1;
  thread_attached = 1; /* creating a JVM attaches the creating thread */
  *vm = (JavaVM *) &fake_vm;
  *env = (void *) &fake_env;
  return JNI_OK;
}

__declspec(dllexport) void fake_jvm_report(void) {
  size_t i;
  printf("fake.get_created_calls=%d\n", get_created_calls);
  printf("fake.create_calls=%d\n", create_calls);
  printf("fake.create.version=%x\n", create_version);
  printf("fake.create.ignore_unrecognized=%d\n", create_ignore_unrecognized);
  printf("fake.option.count=%d\n", option_count);
  for (i = 0; (int) i < option_count && i < FAKE_MAX_RECORDS; i++)
    printf("fake.option.%d=%s\n", (int) i, options[i]);
  printf("fake.find_class.count=%d\n", found_class_count);
  for (i = 0; (int) i < found_class_count; i++)
    printf("fake.find_class.%d=%s\n", (int) i, found_classes[i]);
  printf("fake.static_method.count=%d\n", static_method_count);
  for (i = 0; (int) i < static_method_count; i++)
    printf("fake.static_method.%d=%s\n", (int) i, static_methods[i]);
  printf("fake.for_name=%s\n", for_name);
  printf("fake.for_name.initialize=%d\n", for_name_initialize);
  printf("fake.entry_calls=%d\n", entry_calls);
  printf("fake.entry.version=%d\n", entry_version);
  printf("fake.entry.wsp_data=%llx\n", (unsigned long long) entry_wsp_data);
  printf("fake.entry.protocol_info=%llx\n", (unsigned long long) entry_protocol_info);
  printf("fake.entry.upcall_table=%llx\n", (unsigned long long) entry_upcall_table);
  printf("fake.entry.proc_table=%llx\n", (unsigned long long) entry_proc_table);
  for (i = 0; i < FAKE_UPCALLS; i++) {
    void *address;
    memcpy(&address, &entry_upcalls[i], sizeof address);
    printf("fake.entry.upcall.%d=%llx\n", (int) i, (unsigned long long) (uintptr_t) address);
  }
  printf("fake.get_env_calls=%d\n", get_env_calls);
  printf("fake.get_env.version=%x\n", get_env_version);
  printf("fake.attach_daemon_calls=%d\n", attach_daemon_calls);
  printf("fake.detach_calls=%d\n", detach_calls);
  printf("fake.exception_clears=%d\n", exception_clears);
  printf("fake.exception_pending=%d\n", pending != NULL);
  printf("fake.frames_pushed=%d\n", frames_pushed);
  printf("fake.frames_popped=%d\n", frames_popped);
  printf("fake.cleanups=%d\n", fake_jvm_cleanups);
  printf("fake.nested.status=%d\n", nested_status);
  {
    void *address;
    memcpy(&address, &nested_first, sizeof address);
    printf("fake.nested.proc.0=%llx\n", (unsigned long long) (uintptr_t) address);
  }
  fflush(stdout);
}
