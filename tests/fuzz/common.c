/* What every harness shares: the one-time initialisation. */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz.h"

void fuzz_init(void)
{
	static int done;

	if (done++)
		return;
	if (docket_global_init() < 0) {
		fprintf(stderr, "fuzz: docket_global_init: %s\n", docket_error_last());
		abort();
	}
}
