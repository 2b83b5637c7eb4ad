# Servers for the remote tests (t09xx), sourced after lib.sh: a central repository served by
# nginx + fcgiwrap + git http-backend (smart HTTP, basic authentication, REMOTE_USER passed to
# the hook) and by git daemon (git://, receive-pack enabled), each on a free loopback port,
# started in the test's directory and stopped when the test ends, however it ends.
#
#   start_http SRV_ROOT USER...   nginx on $HTTP_PORT serving SRV_ROOT/*.git; USER's password is pw-USER
#   start_gitd SRV_ROOT           git daemon on $GIT_PORT serving SRV_ROOT/*.git
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "SKIP: nginx is not installed"; exit 77; }
command -v fcgiwrap >/dev/null || [ -x /usr/sbin/fcgiwrap ] || { echo "SKIP: fcgiwrap is not installed"; exit 77; }
export PATH="$PATH:/usr/sbin"
unset REMOTE_USER 2>/dev/null || true

SERVER_PIDS=""
stop_servers() {
	local p
	for p in $SERVER_PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $SERVER_PIDS; do wait "$p" 2>/dev/null || true; done
	SERVER_PIDS=""
}
trap 'stop_servers; rm -rf "$WORK"' EXIT

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for WHAT CMD...: retry CMD for up to 10 s
wait_for() {
	local what=$1 i
	shift
	for i in $(seq 100); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "$what did not start"
}

start_http() {
	local root=$1 n=$WORK/nginx u
	shift
	mkdir -p "$n/tmp"
	: >"$n/htpasswd"
	for u in "$@"; do
		printf '%s:%s\n' "$u" "$(openssl passwd -apr1 "pw-$u")" >>"$n/htpasswd"
	done
	HTTP_PORT=$(free_port)
	cat >"$n/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $n/nginx.pid;
error_log $n/error.log;
events { worker_connections 512; }
http {
	access_log $n/access.log;
	client_body_temp_path $n/tmp/body;
	fastcgi_temp_path $n/tmp/fastcgi;
	proxy_temp_path $n/tmp/proxy;
	uwsgi_temp_path $n/tmp/uwsgi;
	scgi_temp_path $n/tmp/scgi;
	server {
		listen 127.0.0.1:$HTTP_PORT;
		location ~ ^/[A-Za-z0-9_-]+\.git(/.*)?\$ {
			auth_basic "docket";
			auth_basic_user_file $n/htpasswd;
			client_max_body_size 0;
			fastcgi_read_timeout 300s;
			include /etc/nginx/fastcgi_params;
			fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
			fastcgi_param GIT_PROJECT_ROOT $root;
			fastcgi_param GIT_HTTP_EXPORT_ALL "";
			fastcgi_param PATH_INFO \$uri;
			fastcgi_param REMOTE_USER \$remote_user;
			fastcgi_pass unix:$n/fcgiwrap.sock;
		}
	}
}
EOF
	fcgiwrap -c 4 -s "unix:$n/fcgiwrap.sock" </dev/null >"$n/fcgiwrap.log" 2>&1 &
	SERVER_PIDS="$SERVER_PIDS $!"
	wait_for fcgiwrap test -S "$n/fcgiwrap.sock"
	nginx -p "$n" -e "$n/error.log" -c "$n/nginx.conf" </dev/null >"$n/nginx.out" 2>&1 &
	SERVER_PIDS="$SERVER_PIDS $!"
	wait_for nginx curl -sf -o /dev/null -u "$1:pw-$1" "http://127.0.0.1:$HTTP_PORT/pgd.git/info/refs?service=git-upload-pack"
}

start_gitd() {
	local root=$1
	GIT_PORT=$(free_port)
	git daemon --export-all --enable=receive-pack --base-path="$root" --listen=127.0.0.1 --port="$GIT_PORT" \
		--reuseaddr --informative-errors "$root" </dev/null >"$WORK/gitd.log" 2>&1 &
	SERVER_PIDS="$SERVER_PIDS $!"
	wait_for "git daemon" git ls-remote "git://127.0.0.1:$GIT_PORT/pgd.git"
}
