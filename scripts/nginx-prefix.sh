# Sourced by scripts/test-nginx-live.sh and scripts/test-deploy.sh: Debian's nginx run as a
# throwaway instance under a temporary prefix ($1 of each function: that directory).

# Prints nginx's path, installing nginx (and openssl) with apt when missing.
nginx_bin() {
  local nginx
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  if [ ! -x "$nginx" ] || ! command -v openssl >/dev/null; then
    echo "installing nginx and openssl (apt)" >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx openssl >/dev/null
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
  fi
  echo "$nginx"
}

# The http-level lines that keep nginx's temporary files under the prefix.
nginx_temp_paths() {
  mkdir -p "$1/tmp"
  local kind
  for kind in client_body proxy fastcgi uwsgi scgi; do
    echo "    ${kind}_temp_path $1/tmp/$kind;"
  done
}

# Starts NGINX -p PREFIX -c PREFIX/nginx.conf in the background and waits until PORT accepts;
# sets NGINX_PID. The workers run as nobody when nginx starts as root: they get the prefix.
nginx_start() {
  local prefix=$1 port=$2
  chmod -R a+rwX "$prefix"
  chmod a+x "$(dirname "$prefix")"
  "$NGINX" -t -q -p "$prefix" -c "$prefix/nginx.conf" || { echo "nginx -t refused the configuration" >&2; return 1; }
  "$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -g 'daemon off;' &
  NGINX_PID=$!
  for _ in $(seq 1 100); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || { cat "$prefix/error.log" >&2; echo "nginx did not start" >&2; return 1; }
    sleep 0.1
  done
  echo "nginx did not listen on $port" >&2
  return 1
}
