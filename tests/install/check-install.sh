#!/usr/bin/env bash
# install/check: `cmake --install` of this build into a temporary prefix, then the installed tree
# as a packager and a library user see it: the files in place, libdocket.so with its soname and
# exporting the public API only (every exported name declared in an installed header, every
# declared function exported), and a program built with pkg-config against the installed
# headers and shared library, run, its output checked.
# The public headers stand alone: none includes libxml2, libgit2 or OpenSSL; each compiles by
# itself with only -I<prefix>/include, as C and as C++, and keeps its declarations between
# DOCKET_BEGIN_DECL and DOCKET_END_DECL (extern "C").
# ctest sets CMAKE (the cmake that configured the build), CC (its C compiler) and SANITIZE
# (1 in a -DDOCKET_SANITIZE=ON build); CXX (default c++) is the C++ compiler.
. "$(dirname "$0")/../cli/lib.sh"
: "${DOCKET_BUILD:?}" "${CMAKE:?}" "${CC:?}" "${SANITIZE:?}"

prefix=$WORK/prefix
expect_exit 0 "$CMAKE" --install "$DOCKET_BUILD" --prefix "$prefix"
ok "cmake --install --prefix"

libdir=
for d in "$prefix"/lib*; do
	[ -e "$d/libdocket.so" ] && libdir=$d
done
[ -n "$libdir" ] || fail "no lib*/libdocket.so under $prefix"
soversion=$(awk '$1 == "#define" && $2 == "DOCKET_SOVERSION" { print $3 }' "$prefix/include/docket/version.h")
version=$(sed -n 's/^#define DOCKET_VERSION_STRING "\(.*\)"$/\1/p' "$prefix/include/docket/version.h")
[ -n "$soversion" ] && [ -n "$version" ] || fail "no DOCKET_SOVERSION or DOCKET_VERSION_STRING in the installed version.h"

[ -x "$prefix/bin/docket" ] || fail "no bin/docket"
[ -f "$libdir/libdocket.a" ] || fail "no libdocket.a"
[ -f "$libdir/libdocket.so.$version" ] && [ ! -L "$libdir/libdocket.so.$version" ] || fail "no libdocket.so.$version"
[ "$(readlink "$libdir/libdocket.so.$soversion")" = "libdocket.so.$version" ] || fail "libdocket.so.$soversion is not a link to libdocket.so.$version"
[ "$(readlink "$libdir/libdocket.so")" = "libdocket.so.$soversion" ] || fail "libdocket.so is not a link to libdocket.so.$soversion"
[ -f "$libdir/pkgconfig/docket.pc" ] || fail "no $libdir/pkgconfig/docket.pc"
(cd "$DOCKET_SRC/include/docket" && ls *.h) >"$WORK/headers.src"
(cd "$prefix/include/docket" && ls *.h) >"$WORK/headers.installed"
diff -u "$WORK/headers.src" "$WORK/headers.installed" || fail "the installed headers differ from include/docket/*.h"
for d in schemas workflows repo-template; do
	(cd "$DOCKET_SRC/$d" && find . -type f | sort) >"$WORK/data.src"
	(cd "$prefix/share/docket/$d" && find . -type f | sort) >"$WORK/data.installed" || fail "no share/docket/$d"
	diff -u "$WORK/data.src" "$WORK/data.installed" || fail "share/docket/$d differs from $d/"
	[ -s "$WORK/data.src" ] || fail "$d/ is empty"
done
if [ -f "$DOCKET_BUILD/docket.1" ]; then
	cmp "$DOCKET_BUILD/docket.1" "$prefix/share/man/man1/docket.1" || fail "share/man/man1/docket.1 not installed"
fi
if [ -f "$DOCKET_BUILD/docket.bash-completion" ]; then
	cmp "$DOCKET_BUILD/docket.bash-completion" "$prefix/share/bash-completion/completions/docket" ||
		fail "share/bash-completion/completions/docket not installed"
fi
ok "bin, libraries with their links, headers, docket.pc, data (man page, completion when built)"

if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](libxml|libxslt|git2|openssl)' \
	"$prefix"/include/docket/*.h; then
	fail "an installed header includes libxml2, libxslt, libgit2 or OpenSSL"
fi
if grep -nwE 'X509|EVP_PKEY|xmlDocPtr|xmlNodePtr|git_repository|git_oid' "$prefix"/include/docket/*.h |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|\*)'; then
	fail "an installed header names a type of libxml2, libgit2 or OpenSSL"
fi
cxx=${CXX:-c++}
for h in "$prefix"/include/docket/*.h; do
	name=docket/$(basename "$h")
	printf '#include <%s>\n' "$name" >"$WORK/alone.c"
	expect_exit 0 "$CC" -std=c11 -Wall -Wextra -Wpedantic -Wstrict-prototypes -Werror -fsyntax-only \
		-I"$prefix/include" "$WORK/alone.c"
	expect_exit 0 "$cxx" -x c++ -std=c++11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
		-I"$prefix/include" "$WORK/alone.c"
	# every declaration sits inside the extern "C" guards (common.h defines them, and its
	# own declarations follow the definition)
	awk -v f="$name" '
		/^DOCKET_BEGIN_DECL/ { if (open) bad = bad " nested"; open = 1; seen = 1; next }
		/^DOCKET_END_DECL/ { if (!open) bad = bad " unbalanced"; open = 0; next }
		/^DOCKET_EXTERN\(/ && !open { bad = bad " line " NR }
		END {
			if (!seen && f != "docket/docket.h") bad = bad " no guards"
			if (open) bad = bad " unclosed"
			if (bad != "") { print f ":" bad; exit 1 }
		}' "$h" || fail "$name: a declaration outside DOCKET_BEGIN_DECL/DOCKET_END_DECL"
	head -n 12 "$h" | grep -q '^/\*\|^ \*' || fail "$name has no top comment"
done
ok "each installed header compiles alone as C ($CC) and C++ ($cxx), includes no dependency's header, guards its declarations"

readelf -d "$libdir/libdocket.so" >"$WORK/dynamic"
expect_grep "Library soname: [libdocket.so.$soversion]" "$WORK/dynamic"
nm -D --defined-only "$libdir/libdocket.so" | awk '{ print $NF }' | sort -u >"$WORK/exported"
[ -s "$WORK/exported" ] || fail "libdocket.so exports nothing"
if grep -v '^docket_' "$WORK/exported" >"$WORK/foreign"; then
	cat "$WORK/foreign"; fail "libdocket.so exports names outside docket_"
fi
cat "$prefix"/include/docket/*.h | tr -s ' \t\n' ' ' |
	grep -oE 'DOCKET_EXTERN\([^)]*\) ?docket_[a-z0-9_]+ ?\(' | sed 's/.*) *//; s/ *($//' | sort -u >"$WORK/declared"
diff -u "$WORK/declared" "$WORK/exported" >"$WORK/api.diff" ||
	{ cat "$WORK/api.diff"; fail "exported (+) and declared (-) functions differ"; }
ok "soname libdocket.so.$soversion; the $(wc -l <"$WORK/exported") exported names are the functions the headers declare"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
[ "$(pkg-config --modversion docket)" = "$version" ] || fail "pkg-config --modversion docket is not $version"
flags=$(pkg-config --cflags --libs docket) || fail "pkg-config --cflags --libs docket failed"
# a sanitizer build's libdocket.so needs the program built with the same runtimes
[ "$SANITIZE" = 1 ] && flags="$flags -fsanitize=address,undefined"
# shellcheck disable=SC2086 # flags is a list of words
expect_exit 0 "$CC" -std=c11 -Wall -Wextra -Werror -o "$WORK/consumer" "$DOCKET_SRC/tests/install/consumer.c" $flags
ok "consumer.c built with $CC \$(pkg-config --cflags --libs docket)"

readelf -d "$WORK/consumer" >"$WORK/dynamic"
expect_grep "Shared library: [libdocket.so.$soversion]" "$WORK/dynamic"
export LD_LIBRARY_PATH=$libdir
# the program loads the installed library, not another one
ldd "$WORK/consumer" >"$WORK/ldd"
expect_grep "libdocket.so.$soversion => $libdir/libdocket.so.$soversion" "$WORK/ldd"
cp "$RES/invalid/bad-date.xml" "$EXAMPLES/354-KH-PGDDT.xml" .
expect_exit 0 "$WORK/consumer" "$WORK/repo" 354-KH-PGDDT.xml bad-date.xml
tip=$(git -C "$WORK/repo" rev-parse refs/heads/main) || fail "no branch main in the consumer's repository"
head -n 4 "$WORK/out" >"$WORK/got"
cat >"$WORK/want" <<WANT
docket $version, headers $version
initialised $tip
354-KH-PGDDT.xml: 0 findings
bad-date.xml: 1 finding
WANT
diff -u "$WORK/want" "$WORK/got" || fail "unexpected output of the consumer"
expect_grep "bad-date.xml:" "$WORK/out"
expect_grep "'11/05/2021' is not a valid value" "$WORK/out"
fsck_clean "$WORK/repo"
ok "consumer ran against the installed libdocket.so: version, a new repository, validation"
