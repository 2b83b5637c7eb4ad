/* docket key / ca: signing keys and their certificates. */
#include <errno.h>
#include <pthread.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

typedef struct {
	const char *person, *out, *dir, *name, *ca, *csr, *days, *passfile;
	int rsa, all;
	cli_list people;
} key_args;

static int mkdirs(const char *path)
{
	char buf[4096];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0700) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return 0;
}

static int run_key_generate(cli_ctx *ctx, void *args)
{
	key_args *a = args;
	const char *person = a->person, *outp = a->out;
	int error, code = EXIT_OK;
	char path[4096], *pass = NULL;
	const char *cn, *email = NULL;
	docket_config *cfg = NULL;
	docket_person p;

	if (outp)
		snprintf(path, sizeof(path), "%s", outp);
	else if (cli_default_key_path(path, sizeof(path), person) < 0)
		return cli_fail(DOCKET_EUSAGE, "no home directory: give --out KEYFILE");
	cn = person;
	/* inside a repository, the person's printed name and e-mail go into the request */
	if (ctx->repo && docket_config_load(&cfg, ctx->repo, NULL) == 0 &&
	    docket_config_person(&p, cfg, person) == 0) {
		cn = p.name;
		email = p.email && *p.email ? p.email : NULL;
	}
	docket_error_clear();
	if (mkdirs(path) < 0) {
		code = cli_fail(DOCKET_ERROR, "cannot create the directory of '%s': %s", path, strerror(errno));
		goto cleanup;
	}
	if (!(pass = cli_new_passphrase("New key passphrase: "))) {
		code = EXIT_OTHER;
		goto cleanup;
	}
	if ((error = docket_key_generate(path, a->rsa, pass, cn, email)) < 0) {
		code = cli_fail(error, "cannot generate a key at '%s': %s", path, docket_error_last());
		goto cleanup;
	}
	printf("%s\n%s.csr\n", path, path);
cleanup:
	cli_passphrase_free(pass);
	docket_config_free(cfg);
	return cli_finish(code);
}

static int run_ca_init(cli_ctx *ctx, void *args)
{
	key_args *a = args;
	char *pass;
	int error, code = EXIT_OK;

	if (!(pass = cli_new_passphrase("New CA passphrase: ")))
		return EXIT_OTHER;
	if ((error = docket_ca_init(a->dir, a->name ? a->name : "Docket CA", pass)) < 0)
		code = cli_fail(error, "cannot create a CA in '%s': %s", a->dir, docket_error_last());
	else
		printf("%s/ca.pem\n", a->dir);
	cli_passphrase_free(pass);
	return cli_finish(code);
}

static int run_ca_issue(cli_ctx *ctx, void *args)
{
	key_args *a = args;
	char *pass, *end;
	long days = 730;
	int error, code = EXIT_OK;

	if (a->days) {
		days = strtol(a->days, &end, 10);
		if (*end || end == a->days)
			days = 0;
	}
	if (days <= 0 || days > 36500)
		return cli_usage_error(ctx, "--days must be between 1 and 36500");
	if (!(pass = cli_passphrase("CA passphrase: ")))
		return EXIT_OTHER;
	if ((error = docket_ca_issue(a->ca, pass, a->csr, a->out, (int)days)) < 0)
		code = cli_fail(error, "cannot issue a certificate for '%s': %s", a->csr, docket_error_last());
	else
		printf("%s\n", a->out);
	cli_passphrase_free(pass);
	return cli_finish(code);
}

/* --- docket key csr: a request for a key that is already there (a token) ---------------- */

static int run_key_csr(cli_ctx *ctx, void *args)
{
	key_args *a = args;
	const char *spec = getenv("DOCKET_KEY"), *cn = a->person, *email = NULL;
	docket_config *cfg = NULL;
	docket_person p;
	docket_key *key = NULL;
	char path[4096], *pass = NULL, *csr = NULL;
	int error, code = EXIT_OK;

	if (!spec || !*spec) {
		if (cli_default_key_path(path, sizeof(path), a->person) < 0)
			return cli_fail(DOCKET_EUSAGE, "no home directory: set DOCKET_KEY");
		spec = path;
	}
	if (ctx->repo && docket_config_load(&cfg, ctx->repo, NULL) == 0 &&
	    docket_config_person(&p, cfg, a->person) == 0) {
		cn = p.name;
		email = p.email && *p.email ? p.email : NULL;
	}
	docket_error_clear();
	if (!(pass = cli_passphrase(strncmp(spec, "pkcs11:", 7) == 0 ? "Token PIN: " : "Key passphrase: "))) {
		code = EXIT_OTHER;
		goto cleanup;
	}
	if ((error = docket_key_load(&key, spec, pass)) < 0 || (error = docket_key_csr(&csr, key, cn, email)) < 0) {
		code = cli_fail(error, "cannot make a request for '%s': %s", spec, docket_error_last());
		goto cleanup;
	}
	if (a->out) {
		FILE *f = fopen(a->out, "wx");
		if (!f || fputs(csr, f) < 0 || fclose(f) != 0) {
			code = cli_fail(DOCKET_ERROR, "cannot write '%s': %s", a->out, strerror(errno));
			goto cleanup;
		}
		printf("%s\n", a->out);
	} else {
		fputs(csr, stdout);
	}
cleanup:
	cli_passphrase_free(pass);
	free(csr);
	docket_key_free(key);
	docket_config_free(cfg);
	return cli_finish(code);
}

/* --- docket enrol: keys, requests, certificates and their record for many people -------- */

/*
 * The passphrases of --passphrase-file: lines "PERSON:PASSPHRASE". A malloc'd array parallel
 * to IDS (NULL where the file has no line), or NULL with the error printed.
 */
static char **read_passphrases(const char *file, const char *const *ids, size_t n)
{
	FILE *f = fopen(file, "r");
	char line[2048], **out;
	int lineno = 0;

	if (!f) {
		cli_fail(DOCKET_ERROR, "cannot read the passphrase file '%s': %s", file, strerror(errno));
		return NULL;
	}
	if (!(out = calloc(n + 1, sizeof(char *)))) {
		fclose(f);
		cli_fail(DOCKET_ERROR, "out of memory");
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		char *colon;
		size_t len = strcspn(line, "\r\n");
		lineno++;
		line[len] = '\0';
		if (!len || line[0] == '#')
			continue;
		if (!(colon = strchr(line, ':')) || colon == line || !colon[1]) {
			fprintf(stderr, "%s:%d: error: expected PERSON:PASSPHRASE\n", file, lineno);
			continue;
		}
		*colon = '\0';
		for (size_t i = 0; i < n; i++)
			if (!out[i] && strcmp(ids[i], line) == 0)
				out[i] = strdup(colon + 1);
	}
	OPENSSL_cleanse(line, sizeof(line));
	fclose(f);
	return out;
}

/* One person to enrol: what the workers need, and what they found. */
typedef struct {
	char key[4096], csr[4200], crt[4200];
	const char *name, *email, *pass;
	int skip, done, error;
	char *pem, *message;
} enrol_job;

typedef struct {
	enrol_job *jobs;
	size_t n, next;
	int rsa;
	const char *ca, *capass;
	int days;
	int stop;              /* the CA's passphrase was refused: the others would be too */
	pthread_mutex_t lock;
} enrol_pool;

/* Take jobs until none is left: key, request, certificate, its PEM. */
static void *enrol_worker(void *payload)
{
	enrol_pool *pool = payload;

	for (;;) {
		enrol_job *j;
		size_t len;
		int error;
		pthread_mutex_lock(&pool->lock);
		while (pool->next < pool->n && pool->jobs[pool->next].skip)
			pool->next++;
		j = pool->stop || pool->next >= pool->n ? NULL : &pool->jobs[pool->next++];
		pthread_mutex_unlock(&pool->lock);
		if (!j)
			return NULL;
		/* docket's last error is per thread: each worker reads its own */
		if ((error = docket_key_generate(j->key, pool->rsa, j->pass, j->name, j->email)) < 0 ||
		    (error = docket_ca_issue(pool->ca, pool->capass, j->csr, j->crt, pool->days)) < 0 ||
		    (error = docket_file_read_pem_cert(&j->pem, &len, j->crt)) < 0) {
			j->message = strdup(docket_error_last());
			if (error == DOCKET_EDENIED) {
				pthread_mutex_lock(&pool->lock);
				pool->stop = 1;
				pthread_mutex_unlock(&pool->lock);
			}
		}
		j->error = error;
		j->done = 1;
	}
}

static int run_enrol(cli_ctx *ctx, void *args)
{
	key_args *a = args;
	docket_config *cfg = NULL;
	docket_config_change *changes = NULL;
	docket_person *certs = NULL;
	docket_key *own = NULL;
	enrol_job *jobs = NULL;
	docket_findings *f = NULL;
	const char **ids = NULL;
	char **pems = NULL, **passes = NULL, *pass = NULL, *capass = NULL, *end;
	size_t n = 0, done = 0, i;
	long days = 730;
	int code = EXIT_OK, error, failed = 0;

	if (a->all == (a->people.n > 0))
		return cli_usage_error(ctx, "name the people to enrol, or --all (everybody without a certificate)");
	if (a->days) {
		days = strtol(a->days, &end, 10);
		if (*end || end == a->days)
			days = 0;
	}
	if (days <= 0 || days > 36500)
		return cli_usage_error(ctx, "--days must be between 1 and 36500");
	if ((error = docket_config_load(&cfg, ctx->repo, NULL)) < 0)
		return cli_fail_last(error, NULL);
	if (!(ids = calloc(docket_config_person_count(cfg) + a->people.n + 1, sizeof(*ids)))) {
		code = cli_fail(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (a->all) {
		docket_person p;
		for (i = 0; docket_config_person_at(&p, cfg, i) == 0; i++)
			if (!p.cert)
				ids[n++] = p.id;
	} else {
		for (i = 0; i < a->people.n; i++)
			ids[n++] = a->people.v[i];
	}
	if (!n) {
		code = cli_fail(DOCKET_EINVALID, "nobody to enrol: everybody has a certificate");
		goto cleanup;
	}
	pems = calloc(n, sizeof(*pems));
	changes = calloc(n, sizeof(*changes));
	certs = calloc(n, sizeof(*certs));
	if (!pems || !changes || !certs || docket_findings_new(&f) < 0) {
		code = cli_fail(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (a->passfile && !(passes = read_passphrases(a->passfile, ids, n))) {
		code = EXIT_OTHER;
		goto cleanup;
	}
	/* the CA's passphrase is not the people's: $DOCKET_CA_PASSPHRASE when set */
	if (getenv("DOCKET_CA_PASSPHRASE"))
		capass = strdup(getenv("DOCKET_CA_PASSPHRASE"));
	else
		capass = cli_passphrase("CA passphrase: ");
	if (!capass || (!passes && !(pass = cli_new_passphrase("New key passphrase (for everybody enrolled): ")))) {
		code = EXIT_OTHER;
		goto cleanup;
	}
	if (!(jobs = calloc(n, sizeof(*jobs)))) {
		code = cli_fail(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		docket_person p;
		enrol_job *j = &jobs[i];
		j->skip = 1;
		if (docket_config_person(&p, cfg, ids[i]) < 0) {
			fprintf(stderr, "docket: cannot enrol '%s': not a person of this organisation\n", ids[i]);
			failed++;
			continue;
		}
		if (passes && !passes[i]) {
			fprintf(stderr, "docket: cannot enrol '%s': no line '%s:...' in '%s'\n", ids[i], ids[i], a->passfile);
			failed++;
			continue;
		}
		if (cli_default_key_path(j->key, sizeof(j->key), ids[i]) < 0 || mkdirs(j->key) < 0) {
			code = cli_fail(DOCKET_ERROR, "cannot make the key directory: set HOME or XDG_CONFIG_HOME");
			goto cleanup;
		}
		snprintf(j->csr, sizeof(j->csr), "%s.csr", j->key);
		snprintf(j->crt, sizeof(j->crt), "%.*s.crt", (int)(strlen(j->key) - 4), j->key);
		j->name = p.name;
		j->email = p.email && *p.email ? p.email : NULL;
		j->pass = passes ? passes[i] : pass;
		j->skip = 0;
	}
	{
		/* scrypt makes each key and each use of the CA's key cost a fifth of a second on
		 * purpose: a province's 1,500 people are enrolled on every core */
		enrol_pool pool = { jobs, n, 0, a->rsa, a->ca, capass, (int)days, 0, PTHREAD_MUTEX_INITIALIZER };
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		size_t nthreads = cores < 1 ? 1 : cores > 8 ? 8 : (size_t)cores, t, started = 0;
		pthread_t th[8];
		for (t = 0; t < nthreads && t < n; t++)
			if (pthread_create(&th[t], NULL, enrol_worker, &pool) == 0)
				started++;
		if (!started)
			enrol_worker(&pool);
		for (t = 0; t < started; t++)
			pthread_join(th[t], NULL);
	}
	for (i = 0; i < n; i++) {
		enrol_job *j = &jobs[i];
		if (j->skip)
			continue;
		if (j->error < 0 || !j->done) {
			fprintf(stderr, "docket: cannot enrol '%s': %s\n", ids[i], j->done ? j->message :
			        "not tried: the CA's passphrase was refused");
			if (j->error == DOCKET_EDENIED)
				code = EXIT_CHECK;
			failed++;
			continue;
		}
		pems[i] = j->pem;
		j->pem = NULL;
		certs[done].id = ids[i];
		certs[done].cert = pems[i];
		changes[done].kind = DOCKET_CONFIG_SET_CERT;
		changes[done].person = &certs[done];
		done++;
		printf("%s %s %s\n", ids[i], j->key, j->crt);
	}
	/* a wrong CA passphrase fails everybody alike: nothing to record */
	if (code == EXIT_CHECK && !done)
		goto cleanup;
	/* an administrator enrolled in this very run signs the commit with the new key, as every
	 * configuration change after the first certificate is signed by its actor */
	for (i = 0; !ctx->key && ctx->actor && i < n; i++) {
		char key[4096];
		if (strcmp(ids[i], ctx->actor) || !pems[i] || cli_default_key_path(key, sizeof(key), ids[i]) < 0)
			continue;
		if ((error = docket_key_load(&own, key, passes ? passes[i] : pass)) < 0) {
			code = cli_fail(error, "cannot load the new key of '%s': %s", ids[i], docket_error_last());
			goto cleanup;
		}
		docket_repo_set_commit_signer(ctx->repo, docket_sshsig_commit_signer, own);
	}
	if (done && (error = docket_config_apply(ctx->repo, ctx->actor, changes, done, f, "enrol")) < 0) {
		cli_print_findings(f);
		code = cli_fail(error, "cannot record the certificates: %s", docket_error_last());
		goto cleanup;
	}
	if (failed) {
		fprintf(stderr, "docket: enrolled %zu of %zu; %d failed\n", done, n, failed);
		code = EXIT_CHECK;
	} else {
		fprintf(stderr, "enrolled %zu, certificates recorded in one commit\n", done);
	}
cleanup:
	for (i = 0; pems && i < n; i++)
		free(pems[i]);
	for (i = 0; jobs && i < n; i++) {
		free(jobs[i].pem);
		free(jobs[i].message);
	}
	free(jobs);
	for (i = 0; passes && i < n; i++)
		cli_passphrase_free(passes[i]);
	free(passes);
	free(pems);
	free(changes);
	free(certs);
	free(ids);
	cli_passphrase_free(pass);
	cli_passphrase_free(capass);
	if (own)
		docket_repo_set_commit_signer(ctx->repo, NULL, NULL);
	docket_key_free(own);
	docket_findings_free(f);
	docket_config_free(cfg);
	return cli_finish(code);
}

static const cli_option enrol_opts[] = {
	CLI_OPT_REQUIRED(key_args, ca, "ca", 0, "DIR", "the CA's directory (made by 'ca init')"),
	CLI_OPT_FLAG(key_args, all, "all", 0, "everybody of the configuration without a certificate"),
	CLI_OPT_FLAG(key_args, rsa, "rsa", 0, "RSA 3072 keys instead of ECDSA P-256"),
	CLI_OPT_STRING(key_args, days, "days", 0, "N", "days the certificates are valid (default 730)"),
	CLI_OPT_STRING(key_args, passfile, "passphrase-file", 0, "FILE",
	               "each person's new key passphrase, a line PERSON:PASSPHRASE each (default: one\n"
	               "passphrase for everybody, from $DOCKET_PASSPHRASE, $DOCKET_PASSPHRASE_FILE or\n"
	               "the terminal)"),
	CLI_OPT_END
};

static const cli_positional enrol_pos[] = {
	CLI_POS(key_args, people, "PERSON", CLI_POS_MANY), CLI_POS_END
};

const cli_command cli_cmd_enrol = {
	"enrol", run_enrol, CMD_NEEDS_REPO | CMD_SIGNS, "keys and certificates for many people at once",
	sizeof(key_args), enrol_opts, enrol_pos,
	"For each PERSON (or --all: everybody without a certificate): generate a signing key where\n"
	"'key generate' writes it ($XDG_CONFIG_HOME/docket/keys/ID.pem, ~/.config/docket/keys/ID.pem;\n"
	"never overwritten) with its request ID.pem.csr, have the CA of --ca issue the certificate\n"
	"(ID.crt beside the key), and record every certificate in the configuration in ONE commit,\n"
	"as 'docket person cert' does one by one. A person who cannot be enrolled (a key exists\n"
	"already, unknown id) is named and the others go on; the exit status is then 1.\n"
	"\n"
	"Passphrases: the CA's from $DOCKET_CA_PASSPHRASE, else $DOCKET_PASSPHRASE,\n"
	"$DOCKET_PASSPHRASE_FILE or the terminal; the new keys' from --passphrase-file (a line\n"
	"PERSON:PASSPHRASE each), else one for everybody from $DOCKET_PASSPHRASE,\n"
	"$DOCKET_PASSPHRASE_FILE or the terminal (asked twice). Give each person their key file and\n"
	"passphrase; a person with a token makes a request with 'docket key csr' instead.\n"
	"Prints 'PERSON KEYFILE CERTFILE' per person enrolled.\n",
	"docket --as admin enrol ht-qt ht-cp ht-md --ca ~/pgd-ca\n"
	"DOCKET_CA_PASSPHRASE=... docket --as admin enrol --all --ca ~/pgd-ca --passphrase-file pass.txt",
	"0 everybody enrolled; 1 someone not (named), or a wrong CA passphrase; 2 usage; 3 other\n"
	"errors.", NULL
};

static const cli_option key_csr_opts[] = {
	CLI_OPT_REQUIRED(key_args, person, "person", 0, "ID", "the person the key belongs to"),
	CLI_OPT_STRING(key_args, out, "out", 0, "CSR", "write the request there (default: standard output)"),
	CLI_OPT_END
};

static const cli_option key_generate_opts[] = {
	CLI_OPT_REQUIRED(key_args, person, "person", 0, "ID", "the person the key is for"),
	CLI_OPT_FLAG(key_args, rsa, "rsa", 0, "RSA 3072 instead of ECDSA P-256"),
	CLI_OPT_STRING(key_args, out, "out", 0, "KEYFILE",
	               "where to write the key (default: ~/.config/docket/keys/ID.pem)"),
	CLI_OPT_END
};

static const cli_command key_subs[] = {
	{ "generate", run_key_generate, 0, "generate a key and its request", sizeof(key_args),
	  key_generate_opts, NULL, NULL, NULL, NULL, NULL },
	{ "csr", run_key_csr, 0, "a request for an existing key or a token's", sizeof(key_args), key_csr_opts, NULL,
	  NULL, NULL, NULL, NULL },
	CLI_CMD_END
};

const cli_command cli_cmd_key = {
	"key", NULL, CMD_WANTS_REPO, "generate a signing key and its certificate request",
	sizeof(key_args), NULL, NULL,
	"Generate a signing key for person ID: ECDSA P-256 (RSA 3072 with --rsa), stored as an\n"
	"encrypted PKCS#8 PEM file of mode 0600 at KEYFILE, by default\n"
	"$XDG_CONFIG_HOME/docket/keys/ID.pem (~/.config/docket/keys/ID.pem). An existing file is\n"
	"never overwritten. A certificate signing request is written beside it (KEYFILE.csr),\n"
	"with the person's full name from the repository's configuration when run inside one.\n"
	"Give the CSR to the organisation's CA ('docket ca issue'), then record the certificate\n"
	"with 'docket person cert ID CERT'. 'docket enrol' does all of it for many people.\n"
	"\n"
	"'key csr --person ID' makes the request for a key that exists already: the one named by\n"
	"$DOCKET_KEY (a file, or a token's key 'pkcs11:token=T;object=O', PIN from\n"
	"$DOCKET_PASSPHRASE or the terminal), else the person's default key file.\n"
	"\n"
	"The passphrase comes from $DOCKET_PASSPHRASE, the file $DOCKET_PASSPHRASE_FILE, or the\n"
	"terminal (a new one is asked twice). Transitions use the key named by $DOCKET_KEY (a file or a PKCS#11 URI such as\n"
	"'pkcs11:token=T;object=approver') or the default place for the acting person.\n",
	"docket key generate --person lan\n"
	"docket -C pgd key generate --person=thu --rsa --out thu.pem\n"
	"DOCKET_KEY='pkcs11:token=PGD;object=lan' docket key csr --person lan --out lan.csr",
	"0 written; 1 refused (file exists); 2 usage; 3 other errors.", key_subs
};

static const cli_option ca_init_opts[] = {
	CLI_OPT_STRING(key_args, name, "name", 0, "NAME", "the CA's name (default: Docket CA)"),
	CLI_OPT_END
};

static const cli_positional ca_init_pos[] = { CLI_POS(key_args, dir, "DIR", CLI_POS_ONE), CLI_POS_END };

static const cli_option ca_issue_opts[] = {
	CLI_OPT_REQUIRED(key_args, ca, "ca", 0, "DIR", "the CA's directory (made by 'ca init')"),
	CLI_OPT_REQUIRED(key_args, out, "out", 0, "CERT", "where to write the certificate"),
	CLI_OPT_STRING(key_args, days, "days", 0, "N", "days the certificate is valid (default 730)"),
	CLI_OPT_END
};

static const cli_positional ca_issue_pos[] = { CLI_POS(key_args, csr, "CSR", CLI_POS_ONE), CLI_POS_END };

static const cli_command ca_subs[] = {
	{ "init", run_ca_init, 0, "make a CA", sizeof(key_args), ca_init_opts, ca_init_pos, NULL, NULL,
	  NULL, NULL },
	{ "issue", run_ca_issue, 0, "sign a request", sizeof(key_args), ca_issue_opts, ca_issue_pos, NULL,
	  NULL, NULL, NULL },
	CLI_CMD_END
};

const cli_command cli_cmd_ca = {
	"ca", NULL, 0, "a small certificate authority for the organisation", sizeof(key_args), NULL, NULL,
	"A small certificate authority for an organisation that has none. 'init' writes\n"
	"DIR/ca.key (encrypted, 0600) and DIR/ca.pem (the trust anchor to give verifiers);\n"
	"'issue' signs a person's CSR into a certificate valid N days. The CA key's passphrase\n"
	"comes from $DOCKET_PASSPHRASE, $DOCKET_PASSPHRASE_FILE or the terminal. Certificates\n"
	"from any other CA work the same way.\n",
	"docket ca init ~/pgd-ca --name \"PGDĐT Cẩm Phả CA\"\n"
	"docket ca issue --ca ~/pgd-ca ~/.config/docket/keys/lan.pem.csr --out lan.crt --days 730",
	"0 done; 1 refused (files exist); 2 usage; 3 other errors.", ca_subs
};
