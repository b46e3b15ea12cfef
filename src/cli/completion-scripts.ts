// The completion scripts `timerstack completion SHELL` prints, one template per shell. On TAB
// each runs `timerstack --get-yargs-completions WORD...` (the words up to the cursor, with
// TIMERSTACK_COMPLETE naming the shell) and reads back candidates, one per line, and perhaps a
// last line that hands the word to the shell:
//   :files       complete a file name (the FILE of `run`)
//   :command N   the word is part of the COMMAND after `--`, which starts at word N (0 = the
//                program): complete a command name there and that command's own arguments
//                after it, as sudo's and timeout's completions do (bash-completion's
//                _command_offset where loaded, else command names then files; zsh's _normal;
//                fish's completion of the command line from N on).

export type Shell = 'bash' | 'zsh' | 'fish';

export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

const BASH = `# timerstack completion for bash. Load it from ~/.bashrc:
#   source <(timerstack completion bash)
# or install it: timerstack completion bash > ~/.local/share/bash-completion/completions/timerstack
_timerstack_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} IFS=$'\\n' out last at
  out=($(TIMERSTACK_COMPLETE=bash "\${COMP_WORDS[0]}" --get-yargs-completions "\${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null))
  last=\${out[@]: -1}
  case $last in
    ':command '*)
      at=\${last#:command }
      if declare -F _command_offset >/dev/null; then
        _command_offset "$at"
      elif (( COMP_CWORD == at )); then
        COMPREPLY=($(compgen -c -- "$cur"))
      else
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
      fi ;;
    ':files')
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur")) ;;
    *)
      COMPREPLY=("\${out[@]}") ;;
  esac
}
complete -o nosort -F _timerstack_complete timerstack 2>/dev/null || complete -F _timerstack_complete timerstack
`;

const ZSH = `#compdef timerstack
# timerstack completion for zsh. Install it as _timerstack in a directory of $fpath:
#   timerstack completion zsh > "\${fpath[1]}/_timerstack"
# or load it after compinit in ~/.zshrc: source <(timerstack completion zsh)
_timerstack() {
  local -a out cands
  local last at
  out=("\${(@f)$(TIMERSTACK_COMPLETE=zsh \${words[1]} --get-yargs-completions "\${(@)words[1,CURRENT]}" 2>/dev/null)}")
  last=\${out[-1]}
  case $last in
    (':command '*)
      at=\${last#:command }
      shift $at words
      (( CURRENT -= at ))
      _normal ;;
    (':files')
      _files ;;
    (*)
      cands=(\${out:#})
      (( \${#cands} )) && _describe -V timerstack cands ;;
  esac
}
if [[ "\${funcstack[1]}" = _timerstack ]]; then _timerstack "$@"; else compdef _timerstack timerstack; fi
`;

const FISH = `# timerstack completion for fish. Install it:
#   timerstack completion fish > ~/.config/fish/completions/timerstack.fish
# or load it now: timerstack completion fish | source
function __timerstack_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l out (env TIMERSTACK_COMPLETE=fish $words[1] --get-yargs-completions $words 2>/dev/null)
    set -l last $out[-1]
    switch "$last"
        case ':command *'
            set -l at (math (string replace ':command ' '' -- $last) + 1)
            complete -C (string join ' ' -- (string escape -- $words[$at..-1]))
        case ':files'
            __fish_complete_path (commandline -ct)
        case '*'
            printf '%s\\n' $out
    end
end
complete -c timerstack -f -k -a '(__timerstack_complete)'
`;

const SCRIPTS: Record<Shell, string> = { bash: BASH, zsh: ZSH, fish: FISH };

// The script for `shell`, for a program installed as `timerstack`.
export function completionScript(shell: Shell): string {
  return SCRIPTS[shell];
}
