    # tfpin: rule ids wherever a rule is taken (--enable, --disable,
    # --select, tfpin explain), which the completions above do not give.
    $tfpinRules = @(@RULES@)
    $previous = $null
    foreach ($element in $commandElements) {
        if ($element.Extent.EndOffset -lt $cursorPosition) {
            $previous = $element.ToString()
        }
    }
    $takesRule = $previous -in @('--enable', '--disable', '--select')
    if ($takesRule -or ($command -eq 'tfpin;explain' -and -not $wordToComplete.StartsWith('-'))) {
        # A comma-separated list: complete its last item.
        $head = ''
        $comma = $wordToComplete.LastIndexOf(',')
        if ($comma -ge 0) {
            $head = $wordToComplete.Substring(0, $comma + 1)
        }
        $completions = @(foreach ($rule in $tfpinRules) {
            [CompletionResult]::new("$head$rule", $rule, [CompletionResultType]::ParameterValue, $rule)
        })
    }

