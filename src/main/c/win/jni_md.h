/*
 * jni_md.h for building the shim with mingw-w64 against a non-Windows JDK's jni.h (the JDK ships
 * only its own platform's jni_md.h). jlong is 64 bits
 * (long is 32 bits under LLP64); JNICALL is empty (x64 has one calling convention).
 */
#ifndef _JAVASOFT_JNI_MD_H_
#define _JAVASOFT_JNI_MD_H_

#define JNIEXPORT __declspec(dllexport)
#define JNIIMPORT __declspec(dllimport)
#define JNICALL /* empty, as in the JDK 24+ jni.h; __stdcall only mattered on x86, where the shim has no JNI */

typedef int jint;
typedef long long jlong;
typedef signed char jbyte;

#endif /* !_JAVASOFT_JNI_MD_H_ */
