# tfpin: rule ids wherever a rule is taken (--enable, --disable, --select,
# tfpin explain), which the script above does not complete.
var tfpin-rules = [@RULES@]
var tfpin-generated = $edit:completion:arg-completer[tfpin]
set edit:completion:arg-completer[tfpin] = {|@words|
    var current = $words[-1]
    var before = $words[1..-1]
    var command = 'tfpin'
    var skip = $false
    for word $before {
        if $skip {
            set skip = $false
        } elif (has-value [-C --chdir] $word) {
            set skip = $true
        } elif (str:has-prefix $word '-') {
            break
        } else {
            set command = $command';'$word
        }
    }
    var takes-rule = (and (> (count $before) 0) (has-value [--enable --disable --select] $before[-1]))
    if (or $takes-rule (and (eq $command 'tfpin;explain') (not (str:has-prefix $current '-')))) {
        # --select and the others take a comma-separated list: complete its
        # last item.
        var head = ''
        var i = (str:last-index $current ',')
        if (>= $i 0) {
            set head = $current[..(+ $i 1)]
        }
        for rule $tfpin-rules {
            edit:complex-candidate $head$rule
        }
    } else {
        $tfpin-generated $@words
    }
}
