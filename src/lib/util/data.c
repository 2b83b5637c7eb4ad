/* data: look-up of the files built into the binary (see src/build/embed.c). */
#include <string.h>
#include "util_internal.h"

const docket_data_file *docket_data_get(const char *path)
{
	const docket_data_file *f;

	for (f = docket_data_files; f->path; f++)
		if (strcmp(f->path, path) == 0)
			return f;
	return NULL;
}
