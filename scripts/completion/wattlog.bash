# bash completion for wattlog and wattlog-record.  The commands and each
# command's long options are read from the installed programs' own --help
# when completing, so they cannot drift from the code.
# Installed as share/bash-completion/completions/wattlog and wattlog-record.

# _wattlog_longopts PROG [CMD]: the long options PROG [CMD] --help lists.
_wattlog_longopts()
{
	"$@" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}

_wattlog()
{
	local cur=${COMP_WORDS[COMP_CWORD]} cmd="" i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" --help 2>/dev/null |
				awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }') help" \
				-- "$cur"))
		fi
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_wattlog_longopts "${COMP_WORDS[0]}" "$cmd")" -- "$cur"))
	fi
}

_wattlog_record()
{
	local cur=${COMP_WORDS[COMP_CWORD]} i
	for ((i = 1; i < COMP_CWORD; i++)); do
		# after "--" or the recorded command: that command's own words
		[[ ${COMP_WORDS[i]} == -- ]] && return
	done
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_wattlog_longopts "${COMP_WORDS[0]}")" -- "$cur"))
	fi
}

complete -o default -o bashdefault -F _wattlog wattlog
complete -o default -o bashdefault -F _wattlog_record wattlog-record
