/*
 * commitsig: is a commit signed by the person it names? Once the configuration in force
 * records any certificate, a commit that carries docket's trailers must carry a git SSH
 * signature made with the key of the certificate the configuration records for its actor
 * (Docket-Actor), and that certificate must chain to the verifier's trust anchor at the
 * commit's time. The trailers are what the audit believes about who acted; the signature is
 * what makes them more than a claim.
 *
 * The verdicts that are no fault: commits before the first certificate (the bootstrap); an
 * unsigned commit under rules 1 (a repository made before signed history, until
 * `docket migrate`); a transition the configuration allows unsigned. The caller reports them
 * as notes.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/x509.h>
#include "audit_internal.h"
#include "docket/sign.h"

/* Certificates of the configuration in force, each decoded and its chain checked once. */
typedef struct {
	const char *pem;      /* borrowed from the configuration: compared by pointer */
	char *pubkey;         /* "ecdsa-sha2-nistp256 AAAA..." */
	X509 *x;
	int chain;            /* 0 unchecked, 1 chains to the anchor, -1 does not */
	char *chain_why;
} cert_entry;

struct docket_csig_cache {
	cert_entry e[256];
	size_t n;
};

void docket_csig_cache_reset(docket_csig_cache *c)
{
	for (size_t i = 0; c && i < c->n; i++) {
		free(c->e[i].pubkey);
		free(c->e[i].chain_why);
		X509_free(c->e[i].x);
	}
	if (c)
		c->n = 0;
}

void docket_csig_cache_free(docket_csig_cache *c)
{
	docket_csig_cache_reset(c);
	free(c);
}

int docket_csig_cache_new(docket_csig_cache **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

/* The entry for PEM: from the cache when CACHEABLE (PEM belongs to the cached configuration). */
static cert_entry *entry_for(docket_csig_cache *c, cert_entry *tmp, const char *pem, int cacheable)
{
	cert_entry *e = NULL;

	for (size_t i = 0; cacheable && i < c->n; i++)
		if (c->e[i].pem == pem)
			return &c->e[i];
	if (cacheable && c->n < sizeof(c->e) / sizeof(c->e[0]))
		e = &c->e[c->n];
	else
		e = tmp;
	memset(e, 0, sizeof(*e));
	e->pem = pem;
	if (!(e->x = docket_cert_from_pem(pem, -1)) || docket_x509_ssh_pubkey(&e->pubkey, e->x) < 0) {
		X509_free(e->x);
		e->x = NULL;
		docket_error_clear();
		return NULL;
	}
	if (e != tmp)
		c->n++;
	return e;
}

static void entry_clear(cert_entry *e)
{
	free(e->pubkey);
	free(e->chain_why);
	X509_free(e->x);
	memset(e, 0, sizeof(*e));
}

/*
 * Whether E chains to TRUST at AT. The chain is checked once per certificate; the time
 * against the certificate's own validity every time.
 */
static int chains(cert_entry *e, const char *trust, time_t at, docket_buf *why)
{
	if (X509_cmp_time(X509_get0_notBefore(e->x), &at) > 0 || X509_cmp_time(X509_get0_notAfter(e->x), &at) < 0) {
		docket_buf_printf(why, "the certificate was not valid at the commit's time");
		return 0;
	}
	if (!e->chain) {
		if (docket_x509_verify_chain(e->x, trust, at) == 0) {
			e->chain = 1;
		} else {
			e->chain = -1;
			e->chain_why = docket_strdup(docket_error_last());
		}
		docket_error_clear();
	}
	if (e->chain < 0)
		docket_buf_printf(why, "the certificate does not chain to the trust anchor: %s",
		                  e->chain_why ? e->chain_why : "verification failed");
	return e->chain > 0;
}

int docket_csig_pre_extract(docket_csig_pre *pre, git_repository *git, const git_oid *commit)
{
	git_buf sig = GIT_BUF_INIT, data = GIT_BUF_INIT;

	memset(pre, 0, sizeof(*pre));
	pre->extracted = 1;
	pre->signed_ = git_commit_extract_signature(&sig, &data, git, (git_oid *)commit, NULL) == 0;
	git_error_clear();
	if (pre->signed_) {
		pre->sig = docket_strndup(sig.ptr, sig.size);
		pre->data = docket_strndup(data.ptr, data.size);
		pre->len = data.size;
	}
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	if (pre->signed_ && (!pre->sig || !pre->data))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

void docket_csig_pre_verify(docket_csig_pre *pre)
{
	if (!pre->extracted || !pre->signed_ || pre->verified)
		return;
	pre->verified = 1;
	if ((pre->rc = docket_sshsig_verify(&pre->pub, pre->sig, pre->data, pre->len)) < 0)
		pre->why = docket_strdup(docket_error_last());
	docket_error_clear();
}

void docket_csig_pre_clear(docket_csig_pre *pre)
{
	free(pre->sig);
	free(pre->data);
	free(pre->pub);
	free(pre->why);
	memset(pre, 0, sizeof(*pre));
}

docket_csig_verdict docket_commit_sig_judge(docket_buf *why, docket_csig_cache *cache, git_repository *git,
                                            git_commit *c, const docket_config *cfg, const docket_config *newcfg,
                                            const char *actor, const char *transition, const char *trust,
                                            docket_csig_pre *pre)
{
	git_buf sig = GIT_BUF_INIT, data = GIT_BUF_INIT;
	docket_person p;
	cert_entry tmp, *e = NULL;
	const char *pem = NULL;
	char *pub = NULL;
	int cacheable = 1, signed_;
	docket_csig_verdict v;

	memset(&tmp, 0, sizeof(tmp));
	if (actor && cfg && docket_config_person(&p, cfg, actor) == 0 && p.cert)
		pem = p.cert;
	/* an administrator enrolling records the certificate the commit is signed with */
	if (!pem && actor && newcfg && docket_config_person(&p, newcfg, actor) == 0 && p.cert) {
		pem = p.cert;
		cacheable = 0;
	}
	docket_error_clear();
	if ((!cfg || !docket_config_has_certs(cfg)) && cacheable)
		return DOCKET_CSIG_BOOTSTRAP;
	if (pre && pre->extracted) {
		signed_ = pre->signed_;
	} else {
		signed_ = git_commit_extract_signature(&sig, &data, git, (git_oid *)git_commit_id(c), NULL) == 0;
		git_error_clear();
	}
	if (!signed_) {
		if (transition && cfg && docket_config_unsigned_allowed(cfg, transition))
			v = DOCKET_CSIG_ALLOWED_UNSIGNED;
		else if (!cfg || docket_config_rules(cfg) < 2)
			v = DOCKET_CSIG_LEGACY_UNSIGNED;
		else
			v = DOCKET_CSIG_UNSIGNED;
		goto done;
	}
	if (!trust) {
		/* without a trust anchor only the presence of a signature is judged */
		v = DOCKET_CSIG_OK;
		goto done;
	}
	v = DOCKET_CSIG_BAD;
	if (pre && pre->extracted) {
		/* verified on a worker thread, or here now */
		docket_csig_pre_verify(pre);
		if (pre->rc < 0) {
			docket_buf_printf(why, "its signature does not verify: %s", pre->why ? pre->why : "");
			goto done;
		}
		pub = pre->pub;
		pre->pub = NULL;
	} else if (docket_sshsig_verify(&pub, sig.ptr, data.ptr, data.size) < 0) {
		docket_buf_printf(why, "its signature does not verify: %s", docket_error_last());
		docket_error_clear();
		goto done;
	}
	if (!actor) {
		docket_buf_printf(why, "it is signed, but names no actor (Docket-Actor)");
		goto done;
	}
	if (!pem) {
		docket_buf_printf(why, "it is signed, but the configuration in force records no certificate for '%s'",
		                  actor);
		goto done;
	}
	if (!(e = entry_for(cache, &tmp, pem, cacheable))) {
		docket_buf_printf(why, "the certificate recorded for '%s' is unreadable", actor);
		goto done;
	}
	if (strcmp(e->pubkey, pub) != 0) {
		docket_buf_printf(why, "it is signed with a key that is not the one of the certificate recorded for '%s'",
		                  actor);
		goto done;
	}
	if (!chains(e, trust, (time_t)git_commit_time(c), why))
		goto done;
	v = DOCKET_CSIG_OK;
done:
	if (e == &tmp)
		entry_clear(&tmp);
	free(pub);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	return v;
}
