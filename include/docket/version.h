#ifndef DOCKET_VERSION_H
#define DOCKET_VERSION_H
/*
 * docket's version. These lines are the one place it is written: CMake reads them
 * (cmake/DocketVersion.cmake) for project(VERSION), the shared library's version and soname,
 * and docket.pc. DOCKET_VERSION_STRING must spell MAJOR.MINOR.PATCH; CMake refuses otherwise.
 */
#include "common.h"

#define DOCKET_VERSION_MAJOR 0
#define DOCKET_VERSION_MINOR 1
#define DOCKET_VERSION_PATCH 0
#define DOCKET_VERSION_STRING "0.1.0"
/* The soname's number: libdocket.so.DOCKET_SOVERSION. Raised when the ABI breaks. */
#define DOCKET_SOVERSION 0

DOCKET_BEGIN_DECL

/*
 * The version of the library actually loaded (the macros above give the version of the
 * headers compiled against). Any argument may be NULL. Always returns 0.
 */
DOCKET_EXTERN(int) docket_version(int *major, int *minor, int *patch);

DOCKET_END_DECL

#endif
