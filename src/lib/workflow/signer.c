/*
 * signer: who may write a commit, and what it may say. Two rules make the history one no one
 * can forge:
 *
 * - Every commit is signed by its actor. Once the configuration records any certificate,
 *   each commit docket writes carries a git SSH signature made with the key that the
 *   actor's recorded certificate certifies; the audit checks it against that certificate,
 *   chained to the verifier's trust anchor. Before the first certificate (the bootstrap:
 *   init, the first units and administrator) there is nothing to sign with. A repository
 *   may allow named transitions without a signed commit, by an administrator's signed
 *   configuration change (<signing><unsigned transition="..."/>); the audit then reports
 *   each such action as unsigned, never as proof of who acted.
 *
 * - Nothing a person types can become a trailer. The audit reads only the final block of
 *   "Docket-Key: value" lines docket writes; a message or name that could start, end or add
 *   to that block (a "Docket-" line, a "---" line that ends git's trailer parsing, control
 *   characters) is refused before anything is written.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "workflow_internal.h"

static int is_control(unsigned char c, int allow_newline)
{
	if (c == '\t' || (allow_newline && c == '\n'))
		return 0;
	return c < 0x20 || c == 0x7f;
}

int docket_message_check(const char *msg, const char *what)
{
	const char *line, *end;
	size_t n;

	if (!msg)
		return 0;
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
		if (is_control(*p, 1))
			return docket_error_set(DOCKET_EUSAGE, "%s: the message contains the control character 0x%02x; "
			                        "only printing characters, tabs and newlines are allowed", what, *p);
	for (line = msg; *line; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		n = (size_t)(end - line);
		while (n && (*line == ' ' || *line == '\t')) {
			line++;
			n--;
		}
		if (n >= 7 && strncasecmp(line, "docket-", 7) == 0)
			return docket_error_set(DOCKET_EUSAGE, "%s: the message line '%.*s' looks like one of docket's "
			                        "trailers (Docket-...), which only docket writes", what, (int)(n > 60 ? 60 : n), line);
		if (n >= 3 && strncmp(line, "---", 3) == 0)
			return docket_error_set(DOCKET_EUSAGE, "%s: the message line '%.*s' starts with '---', which "
			                        "ends git's reading of trailers", what, (int)(n > 60 ? 60 : n), line);
	}
	return 0;
}

int docket_name_check(const char *s, const char *what)
{
	if (!s)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (is_control(*p, 0))
			return docket_error_set(DOCKET_EUSAGE, "%s '%.40s' contains the control character 0x%02x; names "
			                        "are one line of printing characters", what, s, *p);
	return 0;
}

/* The key REPO signs its commits with, or NULL (unsigned, or a signer that is not docket's). */
static docket_key *signing_key(docket_repo *repo)
{
	void *payload = NULL;
	docket_commit_signer fn = docket_repo_commit_signer(repo, &payload);

	return fn == docket_sshsig_commit_signer ? payload : NULL;
}

int docket_commit_signing_check(docket_repo *repo, const docket_config *cfg, const char *actor,
                                const char *transition, const char *own_cert, const char *what)
{
	docket_key *key = signing_key(repo);
	docket_person p;
	X509 *cert = NULL;
	char *kfp = NULL, *cfp = NULL;
	const char *pem;
	int error;

	/* the bootstrap: before the first certificate there is nothing to sign with */
	if (!cfg || (!docket_config_has_certs(cfg) && !own_cert))
		return 0;
	if (!key && transition && docket_config_unsigned_allowed(cfg, transition))
		return 0;
	if (!actor)
		return docket_error_set(DOCKET_EDENIED, "cannot %s: every action is signed by its actor once "
		                        "certificates are recorded; say who you are with --as PERSON", what);
	if (docket_config_person(&p, cfg, actor) < 0)
		return docket_error_set(DOCKET_EDENIED, "cannot %s: '%s' is not a person of this organisation "
		                        "(see 'docket person list')", what, actor);
	pem = p.cert ? p.cert : own_cert;
	if (!pem)
		return docket_error_set(DOCKET_EDENIED, "cannot %s: '%s' has no certificate in the configuration, and "
		                        "every action is signed by its actor ('docket person cert %s CERT')", what,
		                        actor, actor);
	if (!key)
		return docket_error_set(DOCKET_EDENIED, "cannot %s: it requires %s's signature: every action is signed "
		                        "by its actor; give the key with DOCKET_KEY or 'docket key generate --person %s'",
		                        what, actor, actor);
	if (!(cert = docket_cert_from_pem(pem, -1))) {
		error = docket_error_ssl(DOCKET_EINVALID, "the certificate of '%s' in the configuration is unreadable", actor);
		goto cleanup;
	}
	if ((error = docket_key_fingerprint(&kfp, key)) < 0 || (error = docket_x509_fingerprint(&cfp, cert)) < 0)
		goto cleanup;
	if (strcmp(kfp, cfp) != 0) {
		error = docket_error_set(DOCKET_EDENIED, "cannot %s: the certificate is not for this key: the key given "
		                         "is not the one the certificate of '%s' certifies", what, actor);
		goto cleanup;
	}
	error = 0;
cleanup:
	free(kfp);
	free(cfp);
	X509_free(cert);
	return error;
}
