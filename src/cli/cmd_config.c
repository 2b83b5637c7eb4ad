/* docket org / unit / person: the organisation, its units and its people (.docket/config.xml). */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
	docket_org org;
	docket_unit unit;
	docket_person person;
	const char *cert_file;
	const char *csv_file;
	int json;
	cli_list transitions;
	int none;
	const char *limit;
} config_args;

/* --- org ---------------------------------------------------------------------------- */

static int run_org_set(cli_ctx *ctx, void *args)
{
	config_args *a = args;
	docket_org *org = &a->org;
	int error;

	if (!org->name && !org->abbr && !org->parent && !org->place && !org->organ_id)
		return cli_usage_error(ctx, "nothing to set");
	if ((error = docket_config_set_org(ctx->repo, ctx->actor, org)) < 0)
		return cli_fail(error, "cannot set the organisation: %s", docket_error_last());
	return cli_finish(EXIT_OK);
}

static int run_org_show(cli_ctx *ctx, void *args)
{
	docket_config *cfg = NULL;
	docket_org org;
	int error;

	if ((error = docket_config_load(&cfg, ctx->repo, NULL)) < 0)
		return cli_fail_last(error, NULL);
	docket_config_org(&org, cfg);
	printf("name:   %s\nabbr:   %s\nparent: %s\nplace:  %s\n", org.name ? org.name : "",
	       org.abbr ? org.abbr : "", org.parent ? org.parent : "", org.place ? org.place : "");
	if (docket_config_annex_max(cfg) != DOCKET_ANNEX_MAX_DEFAULT)
		printf("annex limit: %llu bytes\n", docket_config_annex_max(cfg));
	if (org.organ_id)
		printf("organ-id: %s\n", org.organ_id);
	docket_config_free(cfg);
	return cli_finish(EXIT_OK);
}

static int run_org_unsigned(cli_ctx *ctx, void *args)
{
	config_args *a = args;
	int error;

	if (a->none == (a->transitions.n > 0))
		return cli_usage_error(ctx, "give the transitions allowed unsigned, or --none");
	if ((error = docket_config_set_unsigned(ctx->repo, ctx->actor, a->transitions.v, a->transitions.n)) < 0)
		return cli_fail(error, "cannot set the transitions allowed unsigned: %s", docket_error_last());
	return cli_finish(EXIT_OK);
}

static int run_org_annex_limit(cli_ctx *ctx, void *args)
{
	config_args *a = args;
	unsigned long long v;
	char *end = NULL;
	int error;

	if (!a->limit || !*a->limit || a->limit[0] == '-' || (v = strtoull(a->limit, &end, 10)) == 0 || *end ||
	    v > DOCKET_ANNEX_MAX_LIMIT)
		return cli_usage_error(ctx, "the limit is a number of bytes from 1 to %llu", DOCKET_ANNEX_MAX_LIMIT);
	if ((error = docket_config_set_annex_max(ctx->repo, ctx->actor, v)) < 0)
		return cli_fail(error, "cannot set the annex size limit: %s", docket_error_last());
	return cli_finish(EXIT_OK);
}

static const cli_positional org_annex_limit_pos[] = {
	CLI_POS(config_args, limit, "BYTES", CLI_POS_ONE), CLI_POS_END
};

static const cli_option org_unsigned_opts[] = {
	CLI_OPT_FLAG(config_args, none, "none", 0, "allow no transition unsigned (the default)"),
	CLI_OPT_END
};

static const cli_positional org_unsigned_pos[] = {
	CLI_POS(config_args, transitions, "TRANSITION", CLI_POS_MANY), CLI_POS_END
};

static const cli_option org_set_opts[] = {
	CLI_OPT_STRING(config_args, org.name, "name", 0, "NAME", "the name as printed (PHÒNG GIÁO DỤC VÀ ĐÀO TẠO)"),
	CLI_OPT_STRING(config_args, org.abbr, "abbr", 0, "ABBR", "the abbreviation used in notations (PGDĐT)"),
	CLI_OPT_STRING(config_args, org.parent, "parent", 0, "PARENT",
	               "the parent body (UBND THÀNH PHỐ CẨM PHẢ)"),
	CLI_OPT_STRING(config_args, org.place, "place", 0, "PLACE", "the place printed before the date (Cẩm Phả)"),
	CLI_OPT_STRING(config_args, org.organ_id, "organ-id", 0, "ID",
	               "the organisation's id on the document exchange platform (edXML OrganId)"),
	CLI_OPT_END
};

static const cli_command org_subs[] = {
	{ "set", run_org_set, CMD_SIGNS, "set the organisation", sizeof(config_args), org_set_opts, NULL,
	  NULL, NULL, NULL, NULL },
	{ "show", run_org_show, 0, "show the organisation", sizeof(config_args), NULL, NULL, NULL, NULL,
	  NULL, NULL },
	{ "unsigned", run_org_unsigned, CMD_SIGNS, "allow transitions without a signed commit", sizeof(config_args),
	  org_unsigned_opts, org_unsigned_pos, NULL, NULL, NULL, NULL },
	{ "annex-limit", run_org_annex_limit, CMD_SIGNS, "set the largest annex accepted, in bytes",
	  sizeof(config_args), NULL, org_annex_limit_pos, NULL, NULL, NULL, NULL },
	CLI_CMD_END
};

#define CONFIG_SIGNED \
	"\n" \
	"Once an administrator's certificate is recorded, the audit requires configuration\n" \
	"commits signed by an administrator: the acting administrator's key ($DOCKET_KEY, else\n" \
	"~/.config/docket/keys/ADMIN.pem) signs the commit.\n"

const cli_command cli_cmd_org = {
	"org", NULL, CMD_NEEDS_REPO, "set or show the organisation", sizeof(config_args), NULL, NULL,
	"Set the organisation (the issuing body): its name as printed, its abbreviation used in\n"
	"notations, its parent body and the place name printed before the date. One commit; once\n"
	"the organisation has an administrator, only an administrator may change it ('--as ADMIN').\n"
	"'unsigned' names the transitions a person may take without a signed commit (replacing the\n"
	"list; --none empties it): every other action is signed by its actor once certificates are\n"
	"recorded, and the audit reports each unsigned one as 'unsigned-action', never as proof of\n"
	"who acted.\n"
	"'annex-limit' sets the largest annex 'docket attach' accepts, in bytes (default 20 MiB,\n"
	"at most 1 GiB).\n"
	CONFIG_SIGNED,
	"docket org set --name \"PHÒNG GIÁO DỤC VÀ ĐÀO TẠO\" --abbr PGDĐT --place \"Cẩm Phả\"\n"
	"docket org show\n"
	"docket --as admin org unsigned submit return\n"
	"docket --as admin org annex-limit 10485760",
	"0 done; 1 refused (not an administrator); 2 usage; 3 other errors.", org_subs
};

/* --- unit --------------------------------------------------------------------------- */

static int run_unit_add(cli_ctx *ctx, void *args)
{
	config_args *a = args;
	int error;

	if ((error = docket_config_add_unit(ctx->repo, ctx->actor, &a->unit)) < 0)
		return cli_fail(error, "cannot add the unit '%s': %s", a->unit.id, docket_error_last());
	return cli_finish(EXIT_OK);
}

static int run_unit_list(cli_ctx *ctx, void *args)
{
	config_args *a = args;
	docket_config *cfg = NULL;
	docket_unit unit;
	int json = a->json, error;
	size_t i;

	if ((error = docket_config_load(&cfg, ctx->repo, NULL)) < 0)
		return cli_fail_last(error, NULL);
	if (json)
		putchar('[');
	for (i = 0; i < docket_config_unit_count(cfg); i++) {
		docket_config_unit_at(&unit, cfg, i);
		if (json) {
			printf("%s{\"id\": ", i ? ",\n " : "");
			cli_json_str(unit.id);
			printf(", \"name\": ");
			cli_json_str(unit.name);
			printf(", \"parent\": ");
			if (unit.parent)
				cli_json_str(unit.parent);
			else
				printf("null");
			printf(", \"affiliated\": %s}", unit.affiliated ? "true" : "false");
		} else {
			if (unit.parent)
				printf("%-12s %s (in %s)%s\n", unit.id, unit.name ? unit.name : "", unit.parent,
				       unit.affiliated ? " [affiliated]" : "");
			else
				printf("%-12s %s%s\n", unit.id, unit.name ? unit.name : "",
				       unit.affiliated ? " [affiliated]" : "");
		}
	}
	if (json)
		puts("]");
	docket_config_free(cfg);
	return cli_finish(EXIT_OK);
}

/* --- import from a spreadsheet ------------------------------------------------------- */

/* FIELD trimmed of surrounding spaces into a malloc'd string kept in KEEP; NULL when empty. */
static const char *cell(char ***keep, size_t *nkeep, const docket_csv *csv, size_t row, int col)
{
	const char *f = col >= 0 ? docket_csv_field(csv, row, (size_t)col) : NULL;
	size_t len;
	char *copy, **k;

	if (!f)
		return NULL;
	while (*f == ' ' || *f == '\t')
		f++;
	len = strlen(f);
	while (len && (f[len - 1] == ' ' || f[len - 1] == '\t'))
		len--;
	if (!len || !(copy = strndup(f, len)))
		return NULL;
	if (!(k = realloc(*keep, (*nkeep + 1) * sizeof(*k)))) {
		free(copy);
		return NULL;
	}
	*keep = k;
	k[(*nkeep)++] = copy;
	return copy;
}

/*
 * The header of CSV: every column one of KNOWN (NULL-terminated), every one of REQUIRED
 * present. Problems go to F; returns how many.
 */
static int check_header(docket_findings *f, const docket_csv *csv, const char *file, const char *const *known,
                        const char *const *required)
{
	int bad = 0;
	for (size_t i = 0; i < docket_csv_width(csv, 0); i++) {
		const char *h = docket_csv_field(csv, 0, i);
		const char *const *k;
		for (k = known; *k; k++)
			if (docket_csv_column(csv, *k) == (int)i)
				break;
		if (!*k) {
			char list[256] = "";
			size_t o = 0;
			for (k = known; *k && o < sizeof(list); k++)
				o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", k == known ? "" : ", ", *k);
			docket_findings_add(f, file, docket_csv_line(csv, 0), 0, "unknown column '%s' (the columns are %s)", h,
			                    list);
			bad++;
		}
	}
	for (const char *const *r = required; *r; r++)
		if (docket_csv_column(csv, *r) < 0) {
			docket_findings_add(f, file, docket_csv_line(csv, 0), 0, "the column '%s' is missing", *r);
			bad++;
		}
	return bad;
}

static int truthy(const char *v, int *out)
{
	if (!v || !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0") || !strcmp(v, "n")) {
		*out = 0;
		return 0;
	}
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1") || !strcmp(v, "x") || !strcmp(v, "y")) {
		*out = 1;
		return 0;
	}
	return -1;
}

/* docket unit import / person import: the whole file checked, then one commit. */
static int run_import(cli_ctx *ctx, const char *file, int people)
{
	static const char *const unit_cols[] = { "id", "name", "parent", "affiliated", NULL };
	static const char *const unit_req[] = { "id", "name", NULL };
	static const char *const person_cols[] = { "id", "name", "position", "unit", "role", "email", NULL };
	static const char *const person_req[] = { "id", "name", "position", "unit", "role", NULL };
	docket_csv *csv = NULL;
	docket_findings *f = NULL;
	docket_config_change *changes = NULL;
	docket_unit *units = NULL;
	docket_person *persons = NULL;
	char **keep = NULL;
	size_t nkeep = 0, rows, i, n = 0;
	int code = EXIT_OK, error;

	if ((code = cli_read_csv(&csv, file)) != EXIT_OK)
		return cli_finish(code);
	if (docket_findings_new(&f) < 0) {
		code = cli_fail(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	rows = docket_csv_rows(csv);
	changes = calloc(rows, sizeof(*changes));
	units = calloc(rows, sizeof(*units));
	persons = calloc(rows, sizeof(*persons));
	if (!changes || !units || !persons) {
		code = cli_fail(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (check_header(f, csv, file, people ? person_cols : unit_cols, people ? person_req : unit_req) == 0) {
		for (i = 1; i < rows; i++) {
			int line = docket_csv_line(csv, i);
			const char *id = cell(&keep, &nkeep, csv, i, docket_csv_column(csv, "id"));
			const char *name = cell(&keep, &nkeep, csv, i, docket_csv_column(csv, "name"));
			if (docket_csv_width(csv, i) != docket_csv_width(csv, 0)) {
				docket_findings_add(f, file, line, 0, "%zu fields where the header has %zu", docket_csv_width(csv, i),
				                    docket_csv_width(csv, 0));
				continue;
			}
			if (!id || !name) {
				docket_findings_add(f, file, line, 0, "the %s is empty", !id ? "id" : "name");
				continue;
			}
			changes[n].line = line;
			if (!people) {
				docket_unit *u = &units[n];
				const char *aff = cell(&keep, &nkeep, csv, i, docket_csv_column(csv, "affiliated"));
				u->id = id;
				u->name = name;
				u->parent = cell(&keep, &nkeep, csv, i, docket_csv_column(csv, "parent"));
				if (truthy(aff, &u->affiliated) < 0) {
					docket_findings_add(f, file, line, 0, "affiliated is '%s': write true or false (or leave it "
					                    "empty)", aff);
					continue;
				}
				changes[n].kind = DOCKET_CONFIG_ADD_UNIT;
				changes[n].unit = u;
			} else {
				docket_person *p = &persons[n];
				char *roles;
				p->id = id;
				p->name = name;
				p->position = cell(&keep, &nkeep, csv, i, docket_csv_column(csv, "position"));
				p->unit = cell(&keep, &nkeep, csv, i, docket_csv_column(csv, "unit"));
				p->email = cell(&keep, &nkeep, csv, i, docket_csv_column(csv, "email"));
				roles = (char *)cell(&keep, &nkeep, csv, i, docket_csv_column(csv, "role"));
				if (!p->position || !p->unit || !roles) {
					docket_findings_add(f, file, line, 0, "the %s is empty",
					                    !p->position ? "position" : !p->unit ? "unit" : "role");
					continue;
				}
				/* several roles in one cell: "drafter;reviewer" (a comma would need quotes) */
				for (char *r = roles; *r; r++)
					if (*r == ';')
						*r = ',';
				p->roles = roles;
				changes[n].kind = DOCKET_CONFIG_ADD_PERSON;
				changes[n].person = p;
			}
			n++;
		}
	}
	if (docket_findings_count(f) == 0 && n == 0)
		docket_findings_add(f, file, docket_csv_line(csv, 0), 0, "no %s after the header", people ? "person" : "unit");
	if (n) {
		/* with problems found already, this only checks the rest, so every bad line is named */
		error = docket_config_apply(ctx->repo, ctx->actor, changes, n, f, file);
		if (error < 0 && !docket_findings_count(f))
			code = cli_fail(error, "cannot import '%s': %s", file, docket_error_last());
	}
	if (docket_findings_count(f)) {
		/* in the order of the file's lines */
		int line = 0, next;
		do {
			next = -1;
			for (i = 0; i < docket_findings_count(f); i++) {
				const docket_finding *x = docket_findings_get(f, i);
				if (x->line == line)
					fprintf(stderr, "%s:%d: error: %s\n", x->file, x->line, x->message);
				else if (x->line > line && (next < 0 || x->line < next))
					next = x->line;
			}
			line = next;
		} while (next >= 0);
		code = cli_fail(DOCKET_EINVALID, "cannot import '%s': %zu problem%s; nothing was written", file,
		                docket_findings_count(f), docket_findings_count(f) == 1 ? "" : "s");
	} else if (code == EXIT_OK) {
		printf("%zu %s added\n", n, people ? (n == 1 ? "person" : "people") : (n == 1 ? "unit" : "units"));
	}
cleanup:
	for (i = 0; i < nkeep; i++)
		free(keep[i]);
	free(keep);
	free(changes);
	free(units);
	free(persons);
	docket_findings_free(f);
	docket_csv_free(csv);
	return cli_finish(code);
}

static int run_unit_import(cli_ctx *ctx, void *args)
{
	return run_import(ctx, ((config_args *)args)->csv_file, 0);
}

static int run_person_import(cli_ctx *ctx, void *args)
{
	return run_import(ctx, ((config_args *)args)->csv_file, 1);
}

static const cli_positional import_pos[] = {
	CLI_POS(config_args, csv_file, "FILE.csv", CLI_POS_ONE), CLI_POS_END
};

static const cli_option unit_add_opts[] = {
	CLI_OPT_REQUIRED(config_args, unit.name, "name", 0, "NAME", "the unit's name as printed"),
	CLI_OPT_STRING(config_args, unit.parent, "parent", 0, "UNIT", "the unit it belongs to"),
	CLI_OPT_FLAG(config_args, unit.affiliated, "affiliated", 0, "an affiliated unit (a school)"),
	CLI_OPT_END
};

static const cli_positional unit_add_pos[] = {
	CLI_POS(config_args, unit.id, "ID", CLI_POS_ONE), CLI_POS_END
};

static const cli_option list_opts[] = {
	CLI_OPT_FLAG(config_args, json, "json", 0, "print a JSON array"),
	CLI_OPT_END
};

static const cli_command unit_subs[] = {
	{ "add", run_unit_add, CMD_SIGNS, "add a unit", sizeof(config_args), unit_add_opts, unit_add_pos,
	  NULL, NULL, NULL, NULL },
	{ "list", run_unit_list, 0, "list the units", sizeof(config_args), list_opts, NULL, NULL, NULL,
	  NULL, NULL },
	{ "import", run_unit_import, CMD_SIGNS, "add the units of a CSV file", sizeof(config_args), NULL, import_pos,
	  NULL, NULL, NULL, NULL },
	CLI_CMD_END
};

const cli_command cli_cmd_unit = {
	"unit", NULL, CMD_NEEDS_REPO, "add or list units", sizeof(config_args), NULL, NULL,
	"Add a unit of the organisation (a section such as CTTT, or an affiliated school), or list\n"
	"them. A person of a parent unit acts for its child units where a workflow says\n"
	"'drafting unit'. --affiliated marks an affiliated unit (a school): a plan's\n"
	"responsibility for \"*affiliated\" names it, and 'docket assign' gives it a task.\n"
	CONFIG_SIGNED,
	"docket --as admin unit add CTTT --name \"Bộ phận Chính trị tư tưởng\" --parent LD\n"
	"docket unit add THCS1 --name=\"Trường THCS 1\" --affiliated --as admin\n"
	"docket unit list --json\n"
	"docket --as admin unit import units.csv    # id,name,parent,affiliated",
	"0 done; 1 refused (exists, bad CSV line, not an administrator); 2 usage; 3 other errors.", unit_subs
};

/* --- person ------------------------------------------------------------------------- */

static int run_person_add(cli_ctx *ctx, void *args)
{
	config_args *a = args;
	int error;

	if ((error = docket_config_add_person(ctx->repo, ctx->actor, &a->person)) < 0)
		return cli_fail(error, "cannot add the person '%s': %s", a->person.id, docket_error_last());
	return cli_finish(EXIT_OK);
}

static int run_person_list(cli_ctx *ctx, void *args)
{
	config_args *a = args;
	docket_config *cfg = NULL;
	docket_person p;
	int json = a->json, error;
	size_t i;

	if ((error = docket_config_load(&cfg, ctx->repo, NULL)) < 0)
		return cli_fail_last(error, NULL);
	if (json)
		putchar('[');
	for (i = 0; i < docket_config_person_count(cfg); i++) {
		docket_config_person_at(&p, cfg, i);
		if (json) {
			printf("%s{\"id\": ", i ? ",\n " : "");
			cli_json_str(p.id);
			printf(", \"name\": ");
			cli_json_str(p.name);
			printf(", \"position\": ");
			cli_json_str(p.position);
			printf(", \"unit\": ");
			cli_json_str(p.unit);
			printf(", \"roles\": ");
			cli_json_str(p.roles);
			printf(", \"email\": ");
			cli_json_str(p.email);
			printf(", \"certificate\": %s}", p.cert ? "true" : "false");
		} else {
			cli_pad(stdout, p.id, 10);
			cli_pad(stdout, p.name, 24);
			cli_pad(stdout, p.position, 22);
			cli_pad(stdout, p.unit, 10);
			printf("%s\n", p.roles ? p.roles : "");
		}
	}
	if (json)
		puts("]");
	docket_config_free(cfg);
	return cli_finish(EXIT_OK);
}

static int run_person_cert(cli_ctx *ctx, void *args)
{
	config_args *a = args;
	const char *id = a->person.id;
	char *pem = NULL;
	size_t len = 0;
	int error, code = EXIT_OK;

	if ((error = docket_file_read_pem_cert(&pem, &len, a->cert_file)) < 0)
		return cli_fail(error, "cannot record the certificate of '%s': %s", id, docket_error_last());
	if ((error = docket_config_set_cert(ctx->repo, ctx->actor, id, pem)) < 0)
		code = cli_fail(error, "cannot record the certificate of '%s': %s", id, docket_error_last());
	docket_free(pem);
	return cli_finish(code);
}

static const cli_option person_add_opts[] = {
	CLI_OPT_REQUIRED(config_args, person.name, "name", 0, "NAME", "the full name as printed"),
	CLI_OPT_REQUIRED(config_args, person.position, "position", 0, "POS",
	                 "the position as printed (CHUYÊN VIÊN)"),
	CLI_OPT_REQUIRED(config_args, person.unit, "unit", 0, "UNIT", "the person's unit"),
	CLI_OPT_REQUIRED(config_args, person.roles, "role", 0, "ROLE[,ROLE...]",
	                 "drafter, reviewer (head of a unit), approver (competent signer), clerk\n"
	                 "(records office, văn thư), admin (may change the configuration),\n"
	                 "statistician (fills every unit's report figures)"),
	CLI_OPT_STRING(config_args, person.email, "email", 0, "E",
	               "the e-mail of the person's commits (default: ID@docket.invalid)"),
	CLI_OPT_END
};

static const cli_positional person_add_pos[] = {
	CLI_POS(config_args, person.id, "ID", CLI_POS_ONE), CLI_POS_END
};

static const cli_positional person_cert_pos[] = {
	CLI_POS(config_args, person.id, "ID", CLI_POS_ONE), CLI_POS(config_args, cert_file, "CERT.pem", CLI_POS_ONE),
	CLI_POS_END
};

static const cli_command person_subs[] = {
	{ "add", run_person_add, CMD_SIGNS, "add a person", sizeof(config_args), person_add_opts,
	  person_add_pos, NULL, NULL, NULL, NULL },
	{ "list", run_person_list, 0, "list the people", sizeof(config_args), list_opts, NULL, NULL, NULL,
	  NULL, NULL },
	{ "cert", run_person_cert, CMD_SIGNS, "record a certificate", sizeof(config_args), NULL,
	  person_cert_pos, NULL, NULL, NULL, NULL },
	{ "import", run_person_import, CMD_SIGNS, "add the people of a CSV file", sizeof(config_args), NULL,
	  import_pos, NULL, NULL, NULL, NULL },
	CLI_CMD_END
};

const cli_command cli_cmd_person = {
	"person", NULL, CMD_NEEDS_REPO, "add or list people and their roles", sizeof(config_args), NULL, NULL,
	"Add a person (full name as printed, position, unit, roles) or list the people. Commits\n"
	"made with --as PERSON carry that person's name and e-mail as author and committer.\n"
	"'cert' records the person's X.509 certificate (PEM), against which their signatures are\n"
	"checked.\n"
	"\n"
	"'import FILE.csv' adds every person of a spreadsheet saved as CSV (UTF-8, RFC 4180) in\n"
	"ONE commit: a header row naming the columns id, name, position, unit, role, email (email\n"
	"may be left out), then a person a row; several roles in one cell are separated by ';'\n"
	"(drafter;reviewer). The whole file is checked first; every problem is printed as\n"
	"FILE:LINE: error: MESSAGE and then nothing is written.\n"
	CONFIG_SIGNED,
	"docket --as admin person add hoa --name \"Nguyễn Thị Hoa\" --position \"CHUYÊN VIÊN\" \\\n"
	"        --unit CTTT --role drafter\n"
	"docket --as admin person cert lan lan.crt\n"
	"docket person list --json\n"
	"docket --as admin person import people.csv  # id,name,position,unit,role,email",
	"0 done; 1 refused (exists, bad CSV line, not an administrator); 2 usage; 3 other errors.", person_subs
};
