/*
 * The libFuzzer harnesses (tests/fuzz/README.md). Each harness file defines
 * LLVMFuzzerTestOneInput; built with -DDOCKET_FUZZ=ON (clang) against libFuzzer, and in every
 * build against replay.c, which feeds it the files of its regression corpus so that every
 * crash ever found stays fixed.
 */
#ifndef DOCKET_FUZZ_H
#define DOCKET_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include "docket/docket.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* docket_global_init once per process; aborts when it fails (a harness cannot go on). */
void fuzz_init(void);

#endif
