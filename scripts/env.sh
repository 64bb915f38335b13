# Sourced by scripts/serve.sh, manage.sh and upgrade.sh: the variables of .env (or DANGBO_ENV_FILE), the
# same KEY=value file systemd reads as EnvironmentFile. A variable already set (on the command line) wins.
ENV_FILE="${DANGBO_ENV_FILE:-.env}"
if [ -f "$ENV_FILE" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    name=${line%%=*} value=${line#*=}
    case "$value" in \"*\"|\'*\') value=${value:1:${#value}-2} ;; esac  # KEY="value", as systemd reads it
    [ -n "${!name+x}" ] || export "$name=$value"
  done < "$ENV_FILE"
fi
