#ifndef DOCKET_CONFIG_H
#define DOCKET_CONFIG_H
/*
 * The repository's configuration, .docket/config.xml (namespace DOCKET_CONFIG_NS): the
 * organisation, its units (sections and schools), its people with their roles, and their
 * certificates. Changes are made through docket_config_* functions and committed as one
 * commit each, by an administrator once the organisation has one.
 */
#include <stddef.h>
#include "repo.h"
#include "validate.h"

DOCKET_BEGIN_DECL

#define DOCKET_CONFIG_NS "urn:docket:config:1"
#define DOCKET_CONFIG_PATH ".docket/config.xml"

typedef struct docket_config docket_config;

typedef struct {
	const char *id;
	const char *name;
	const char *position;
	const char *unit;
	const char *roles;     /* comma-separated */
	const char *email;
	const char *cert;      /* PEM text of the person's certificate, or NULL */
} docket_person;

typedef struct {
	const char *id;
	const char *name;
	const char *parent;    /* a unit id, or NULL */
	int affiliated;        /* an affiliated unit (a school): "*affiliated" in a plan names it */
} docket_unit;

typedef struct {
	const char *name;      /* PHÒNG GIÁO DỤC VÀ ĐÀO TẠO */
	const char *abbr;      /* PGDĐT */
	const char *parent;    /* UBND THÀNH PHỐ CẨM PHẢ */
	const char *place;     /* Cẩm Phả */
} docket_org;

/*
 * Parse configuration XML (BUF, LEN bytes; NAME for messages) into *OUT, freed with
 * docket_config_free. DOCKET_EINVALID when it is not a well-formed configuration.
 */
DOCKET_EXTERN(int) docket_config_parse(docket_config **out, const char *buf, size_t len, const char *name);
/*
 * Load .docket/config.xml from REPO at REV (NULL: tip) into *OUT, freed with
 * docket_config_free. DOCKET_ENOTFOUND (REV or the file), DOCKET_EINVALID, DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_config_load(docket_config **out, docket_repo *repo, const char *rev);
/* Free CFG (NULL allowed). */
DOCKET_EXTERN(void) docket_config_free(docket_config *cfg);

/*
 * Getters; the structures and strings they fill are borrowed from CFG (valid until it is
 * freed). The _at and by-id getters return 0, or DOCKET_ENOTFOUND when I is out of range or
 * there is no such ID.
 */
DOCKET_EXTERN(void) docket_config_org(docket_org *out, const docket_config *cfg);
DOCKET_EXTERN(size_t) docket_config_unit_count(const docket_config *cfg);
DOCKET_EXTERN(int) docket_config_unit_at(docket_unit *out, const docket_config *cfg, size_t i);
DOCKET_EXTERN(int) docket_config_unit(docket_unit *out, const docket_config *cfg, const char *id);
DOCKET_EXTERN(size_t) docket_config_person_count(const docket_config *cfg);
DOCKET_EXTERN(int) docket_config_person_at(docket_person *out, const docket_config *cfg, size_t i);
/* DOCKET_ENOTFOUND when there is no such person. */
DOCKET_EXTERN(int) docket_config_person(docket_person *out, const docket_config *cfg, const char *id);
/* Whether PERSON's comma-separated roles include ROLE. */
DOCKET_EXTERN(int) docket_person_has_role(const docket_person *person, const char *role);
/* Whether any person holds the admin role. */
DOCKET_EXTERN(int) docket_config_has_admin(const docket_config *cfg);

/*
 * The rules of signed history the configuration records (<signing rules="N">): 2 for a
 * repository made or migrated by this docket, 1 for one made before (see docs/audit.md).
 */
DOCKET_EXTERN(int) docket_config_rules(const docket_config *cfg);
/* Whether the configuration allows TRANSITION without a signed commit. */
DOCKET_EXTERN(int) docket_config_unsigned_allowed(const docket_config *cfg, const char *transition);
/* The transitions allowed unsigned: how many, and the I-th (borrowed; NULL past the end). */
DOCKET_EXTERN(size_t) docket_config_unsigned_count(const docket_config *cfg);
DOCKET_EXTERN(const char *) docket_config_unsigned_at(const docket_config *cfg, size_t i);
/* Whether any person has a certificate recorded (the bootstrap is over). */
DOCKET_EXTERN(int) docket_config_has_certs(const docket_config *cfg);

/*
 * Changes, each one commit made by ACTOR (a person id, or NULL before any administrator
 * exists). Once the configuration has an administrator, ACTOR must be one (DOCKET_EDENIED).
 * NULL fields are left as they are; the structures are read, not kept. Errors also:
 * DOCKET_EUSAGE (a required field missing or malformed), DOCKET_EEXISTS (an id that exists
 * already), DOCKET_EINVALID (the configuration in the repository is invalid), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_config_set_org(docket_repo *repo, const char *actor, const docket_org *org);
DOCKET_EXTERN(int) docket_config_add_unit(docket_repo *repo, const char *actor, const docket_unit *unit);
DOCKET_EXTERN(int) docket_config_add_person(docket_repo *repo, const char *actor, const docket_person *person);
/* Record PERSON's certificate (PEM text, copied) in the configuration, as above;
 * DOCKET_ENOTFOUND when there is no such person. */
DOCKET_EXTERN(int) docket_config_set_cert(docket_repo *repo, const char *actor, const char *person,
                                          const char *pem);

/* One change of a batch (docket_config_apply). */
typedef enum {
	DOCKET_CONFIG_ADD_UNIT,     /* unit */
	DOCKET_CONFIG_ADD_PERSON,   /* person */
	DOCKET_CONFIG_SET_CERT      /* person->id's certificate person->cert (PEM) */
} docket_config_change_kind;

typedef struct {
	docket_config_change_kind kind;
	const docket_unit *unit;
	const docket_person *person;
	int line;                   /* where it came from (a CSV line), for findings; 0: none */
} docket_config_change;

/*
 * Make the N CHANGES, in order, as ONE commit by ACTOR (an administrator once there is one):
 * onboarding a department's units and people from a spreadsheet, or recording everybody's
 * certificates. Every change is tried; each refused one (an id that exists or is repeated,
 * an unknown parent unit, an unknown role, ...) is added to FINDINGS (may be NULL) as
 * SOURCE:LINE: message, and then nothing at all is written (DOCKET_EINVALID). FINDINGS that
 * hold problems already (the caller's own checks of the input) make it a check only: the
 * changes are tried, their problems added, nothing is written. A unit may name as parent a
 * unit added earlier in the same batch.
 */
DOCKET_EXTERN(int) docket_config_apply(docket_repo *repo, const char *actor, const docket_config_change *changes,
                                       size_t n, docket_findings *findings, const char *source);

/*
 * Allow exactly the transitions TRANSITIONS[0..N) without a signed commit (N = 0: none);
 * each is then reported by the audit as an unsigned action. An administrator's change.
 */
DOCKET_EXTERN(int) docket_config_set_unsigned(docket_repo *repo, const char *actor,
                                              const char *const *transitions, size_t n);
/*
 * Move a repository made by an earlier docket to the current rules and format, as one commit
 * by the administrator ACTOR: record the rules of signed history (rules 2) when they are not
 * yet (from that commit on, the audit requires every commit to be signed by its actor and every
 * new signature to be bound to its workflow step), and make .docket/schemas/ the built-in
 * schemas (document format 2), adding the built-in workflows and templates of kinds the
 * repository has none for. Every document at the tip that the pinned schemas accept must be
 * accepted by the new ones: DOCKET_EINVALID, naming the first and counting them, when one is
 * not (nothing is written). DOCKET_EEXISTS when there is nothing to do.
 */
DOCKET_EXTERN(int) docket_config_migrate(docket_repo *repo, const char *actor);

DOCKET_END_DECL

#endif
