/* docket org / unit / person: the organisation, its units and its people (.docket/config.xml). */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

const char usage_org[] =
	"usage: docket [--as ADMIN] org set [--name N] [--abbr A] [--parent P] [--place PLACE]\n"
	"       docket org show\n"
	"\n"
	"Set the organisation (the issuing body): its name as printed (PHÒNG GIÁO DỤC VÀ ĐÀO TẠO),\n"
	"its abbreviation used in notations (PGDĐT), its parent body (UBND THÀNH PHỐ CẨM PHẢ) and\n"
	"the place name printed before the date (Cẩm Phả). One commit; once the organisation has\n"
	"an administrator, only an administrator may change it.\n"
	"\n"
	"Exit status: 0 done; 1 refused (not an administrator); 2 usage; 3 other errors.\n";

const char usage_unit[] =
	"usage: docket [--as ADMIN] unit add ID --name NAME [--parent UNIT] [--affiliated]\n"
	"       docket unit list [--json]\n"
	"\n"
	"Add a unit of the organisation (a section such as CTTT, or an affiliated school), or list\n"
	"them. A person of a parent unit acts for its child units where a workflow says\n"
	"'drafting unit'. --affiliated marks an affiliated unit (a school): a plan's\n"
	"responsibility for \"*affiliated\" names it, and 'docket assign' gives it a task.\n"
	"\n"
	"Exit status: 0 done; 1 refused (exists, not an administrator); 2 usage; 3 other errors.\n";

const char usage_person[] =
	"usage: docket [--as ADMIN] person add ID --name NAME --position POS --unit UNIT\n"
	"                                 --role ROLE[,ROLE...] [--email E]\n"
	"       docket person list [--json]\n"
	"       docket [--as ADMIN] person cert ID CERT.pem\n"
	"\n"
	"Add a person (full name as printed, position, unit, roles) or list the people. Roles:\n"
	"drafter, reviewer (head of a unit), approver (competent signer), clerk (records office,\n"
	"văn thư), admin (may change the configuration). Commits made with --as PERSON carry that\n"
	"person's name and e-mail as author and committer. 'cert' records the person's X.509\n"
	"certificate (PEM), against which their signatures are checked.\n"
	"\n"
	"Exit status: 0 done; 1 refused (exists, not an administrator); 2 usage; 3 other errors.\n";


static int subcommand(int argc, char **argv, const char *name, const char *const *subs)
{
	if (argc < 2)
		return -1;
	for (int i = 0; subs[i]; i++)
		if (strcmp(argv[1], subs[i]) == 0)
			return i;
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return -2;
	fprintf(stderr, "docket %s: unknown subcommand '%s'\n", name, argv[1]);
	return -1;
}

int cmd_org(int argc, char **argv, cli_globals *g)
{
	static const char *const subs[] = { "set", "show", NULL };
	const cli_command *cmd = cli_find_command("org");
	docket_org org = { NULL, NULL, NULL, NULL };
	const cli_opt opts[] = {
		{ "name", 0, 1, &org.name, NULL }, { "abbr", 0, 1, &org.abbr, NULL },
		{ "parent", 0, 1, &org.parent, NULL }, { "place", 0, 1, &org.place, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};
	docket_repo *repo = NULL;
	docket_key *key = NULL;
	docket_config *cfg = NULL;
	const char *pos[1];
	int sub = subcommand(argc, argv, "org", subs), npos, r, error, code;

	if (sub == -2) {
		cli_usage(stdout, cmd);
		return cli_finish(EXIT_OK);
	}
	if (sub < 0) {
		cli_usage(stderr, cmd);
		return EXIT_USAGE;
	}
	if ((r = cli_parse(argc - 1, argv + 1, opts, pos, 0, &npos, cmd)) >= 0)
		return r;
	if ((code = cli_open_repo_signing(&repo, &key, g, sub == 0)) != 0)
		return code;
	if (sub == 0) {
		if (!org.name && !org.abbr && !org.parent && !org.place) {
			docket_repo_free(repo);
			fprintf(stderr, "docket org set: nothing to set\n");
			return EXIT_USAGE;
		}
		if ((error = docket_config_set_org(repo, g->actor, &org)) < 0)
			code = cli_fail(error, "cannot set the organisation: %s", docket_error_last());
	} else if ((error = docket_config_load(&cfg, repo, NULL)) < 0) {
		code = cli_fail_last(error, NULL);
	} else {
		docket_config_org(&org, cfg);
		printf("name:   %s\nabbr:   %s\nparent: %s\nplace:  %s\n", org.name ? org.name : "",
		       org.abbr ? org.abbr : "", org.parent ? org.parent : "", org.place ? org.place : "");
	}
	docket_config_free(cfg);
	docket_repo_free(repo);
	docket_key_free(key);
	return cli_finish(code);
}

int cmd_unit(int argc, char **argv, cli_globals *g)
{
	static const char *const subs[] = { "add", "list", NULL };
	const cli_command *cmd = cli_find_command("unit");
	docket_unit unit = { NULL, NULL, NULL, 0 };
	int json = 0;
	const cli_opt opts[] = {
		{ "name", 0, 1, &unit.name, NULL }, { "parent", 0, 1, &unit.parent, NULL },
		{ "affiliated", 0, 0, NULL, &unit.affiliated },
		{ "json", 0, 0, NULL, &json }, { NULL, 0, 0, NULL, NULL }
	};
	docket_repo *repo = NULL;
	docket_key *key = NULL;
	docket_config *cfg = NULL;
	const char *pos[1];
	int sub = subcommand(argc, argv, "unit", subs), npos, r, error, code;
	size_t i;

	if (sub == -2) {
		cli_usage(stdout, cmd);
		return cli_finish(EXIT_OK);
	}
	if (sub < 0) {
		cli_usage(stderr, cmd);
		return EXIT_USAGE;
	}
	if ((r = cli_parse(argc - 1, argv + 1, opts, pos, sub == 0 ? 1 : 0, &npos, cmd)) >= 0)
		return r;
	if (sub == 0 && (npos != 1 || !unit.name)) {
		fprintf(stderr, "docket unit add: give the unit ID and --name\n");
		return EXIT_USAGE;
	}
	if ((code = cli_open_repo_signing(&repo, &key, g, sub == 0)) != 0)
		return code;
	if (sub == 0) {
		unit.id = pos[0];
		if ((error = docket_config_add_unit(repo, g->actor, &unit)) < 0)
			code = cli_fail(error, "cannot add the unit '%s': %s", pos[0], docket_error_last());
	} else if ((error = docket_config_load(&cfg, repo, NULL)) < 0) {
		code = cli_fail_last(error, NULL);
	} else {
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
	}
	docket_config_free(cfg);
	docket_repo_free(repo);
	docket_key_free(key);
	return cli_finish(code);
}

int cmd_person(int argc, char **argv, cli_globals *g)
{
	static const char *const subs[] = { "add", "list", "cert", NULL };
	const cli_command *cmd = cli_find_command("person");
	docket_person p;
	int json = 0;
	const char *pos[1];
	docket_repo *repo = NULL;
	docket_key *key = NULL;
	docket_config *cfg = NULL;
	int sub = subcommand(argc, argv, "person", subs), npos, r, error, code;
	size_t i;

	memset(&p, 0, sizeof(p));
	{
		const cli_opt opts[] = {
			{ "name", 0, 1, &p.name, NULL }, { "position", 0, 1, &p.position, NULL },
			{ "unit", 0, 1, &p.unit, NULL }, { "role", 0, 1, &p.roles, NULL },
			{ "email", 0, 1, &p.email, NULL }, { "json", 0, 0, NULL, &json },
			{ NULL, 0, 0, NULL, NULL }
		};
		if (sub == -2) {
			cli_usage(stdout, cmd);
			return cli_finish(EXIT_OK);
		}
		if (sub < 0) {
			cli_usage(stderr, cmd);
			return EXIT_USAGE;
		}
		if (sub != 2 && (r = cli_parse(argc - 1, argv + 1, opts, pos, sub == 0 ? 1 : 0, &npos, cmd)) >= 0)
			return r;
	}
	if (sub == 2) {
		char *pem = NULL;
		size_t len = 0;
		const char *a2[3];
		int n2 = 0;
		for (int k = 2; k < argc && n2 < 3; k++)
			a2[n2++] = argv[k];
		if (n2 != 2) {
			fprintf(stderr, "docket person cert: give the person ID and the certificate file\n");
			return EXIT_USAGE;
		}
		if ((error = docket_file_read_pem_cert(&pem, &len, a2[1])) < 0)
			return cli_fail(error, "cannot record the certificate of '%s': %s", a2[0], docket_error_last());
		if ((code = cli_open_repo_signing(&repo, &key, g, 1)) != 0) {
			free(pem);
			return code;
		}
		if ((error = docket_config_set_cert(repo, g->actor, a2[0], pem)) < 0)
			code = cli_fail(error, "cannot record the certificate of '%s': %s", a2[0], docket_error_last());
		free(pem);
		docket_repo_free(repo);
		docket_key_free(key);
		return cli_finish(code);
	}
	if (sub == 0 && (npos != 1 || !p.name || !p.position || !p.unit || !p.roles)) {
		fprintf(stderr, "docket person add: give ID, --name, --position, --unit and --role\n");
		return EXIT_USAGE;
	}
	if ((code = cli_open_repo_signing(&repo, &key, g, sub == 0)) != 0)
		return code;
	if (sub == 0) {
		p.id = pos[0];
		if ((error = docket_config_add_person(repo, g->actor, &p)) < 0)
			code = cli_fail(error, "cannot add the person '%s': %s", pos[0], docket_error_last());
	} else if ((error = docket_config_load(&cfg, repo, NULL)) < 0) {
		code = cli_fail_last(error, NULL);
	} else {
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
	}
	docket_config_free(cfg);
	docket_repo_free(repo);
	docket_key_free(key);
	return cli_finish(code);
}
