/*
 * The semantic diff of two versions of a document: the input is the old version, a line
 * "\n---8<---\n", the new one (without the line: the input against itself).
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

static const char SEP[] = "\n---8<---\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *cut = NULL;
	docket_doc *a = NULL, *b = NULL;
	docket_diff_item *items = NULL;
	size_t n = 0, alen = size;

	fuzz_init();
	for (size_t i = 0; i + sizeof(SEP) - 1 <= size; i++)
		if (memcmp(buf + i, SEP, sizeof(SEP) - 1) == 0) {
			cut = buf + i;
			break;
		}
	if (cut)
		alen = (size_t)(cut - buf);
	if (docket_doc_parse(&a, buf, alen, "old.xml") == 0 &&
	    (cut ? docket_doc_parse(&b, cut + sizeof(SEP) - 1, size - alen - (sizeof(SEP) - 1), "new.xml")
	         : docket_doc_parse(&b, buf, alen, "new.xml")) == 0 &&
	    docket_diff_docs(&items, &n, a, b) == 0)
		docket_diff_free(items, n);
	docket_doc_free(a);
	docket_doc_free(b);
	docket_error_clear();
	return 0;
}
