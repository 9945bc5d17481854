# bash completion for devnsctl; persona names come from the running devnsd.
_devnsctl_personas() {
	devnsctl list --no-legend 2>/dev/null | while read -r name _; do
		echo "$name"
	done
}

_devnsctl() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local verbs="list status switch start stop adopt tag monitor console show kill reload help"
	local opts="--json --no-legend --help --version"
	local verb= i

	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) verb=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $prev in
	--signal|-s)
		COMPREPLY=($(compgen -W "$(kill -l | tr -d '0-9)\t' | tr ' ' '\n' | sed -n 's/^SIG//p')" -- "$cur"))
		return ;;
	-p|--property)
		COMPREPLY=($(compgen -W "ActivePersona Name State Id Leader Tag Active Adopted HotkeySlot Root Init Restart ExitStatus ConfigError LastError" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		case $verb in
		show) opts="$opts -p --property --value" ;;
		kill) opts="$opts --signal" ;;
		esac
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	case $verb in
	"") COMPREPLY=($(compgen -W "$verbs" -- "$cur")) ;;
	switch) COMPREPLY=($(compgen -W "next prev root $(_devnsctl_personas)" -- "$cur")) ;;
	status|show|start|stop|tag|kill|adopt|console)
		COMPREPLY=($(compgen -W "$(_devnsctl_personas)" -- "$cur")) ;;
	esac
}
complete -F _devnsctl devnsctl
