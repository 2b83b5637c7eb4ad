#ifndef DOCKET_H
#define DOCKET_H
/* The whole public API of libdocket. */
#include "common.h"
#include "version.h"
#include "repo.h"
#include "doc.h"
#include "validate.h"
#include "render.h"
#include "store.h"
#include "config.h"
#include "workflow.h"
#include "history.h"
#include "lookup.h"
#include "audit.h"
#include "sign.h"
#include "draft.h"
#include "csv.h"
#include "remote.h"
#include "annex.h"
#include "exchange.h"
#endif
