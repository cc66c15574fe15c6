package render

import (
	"fmt"
	"slices"
	"strings"
)

// commandOutputs is the one table of which -o values each orgctl command
// accepts (by its path without "orgctl "), the default first. A command
// with no formats refuses -o, and why says what it writes instead (with
// %[1]s the -o value and %[2]s "people" or "teams"); a command not in the
// table checks -o itself.
var commandOutputs = map[string]struct {
	formats []string
	why     string
}{
	"validate":              {formats: Formats},
	"plan":                  {formats: []string{"text", "json", "markdown"}},
	"apply":                 {formats: []string{"text", "json"}},
	"comment":               {why: "comment posts Markdown on the pull request and prints no report, so -o is not supported: drop it"},
	"suggest":               {formats: []string{"table", "json"}},
	"get":                   {formats: append(slices.Clone(GetFormats), CustomColumnsPrefix)},
	"describe":              {formats: []string{"text"}, why: "describe writes text only: for %[1]s, use orgctl get %[2]s NAME -o %[1]s"},
	"graph":                 {formats: GraphFormats},
	"rules":                 {formats: RuleFormats},
	"schema":                {formats: []string{"json"}, why: "schema writes json only (drop -o, or use -o json)"},
	"import":                {why: "import has no output formats: run orgctl import csv FILE"},
	"import csv":            {why: "import csv writes YAML files under --out, so -o is not supported: drop it"},
	"init":                  {formats: []string{"text"}, why: "init prints text only: drop -o %[1]s"},
	"version":               {formats: []string{"text", "json"}},
	"report":                {formats: ReportFormats},
	"history":               {formats: []string{"text", "json"}},
	"consent":               {formats: ConsentFormats},
	"help":                  {why: "help writes text only, so -o is not supported: drop it"},
	"completion":            {why: "completion writes a shell script only, so -o is not supported: drop it"},
	"completion bash":       {why: "completion writes a bash script only, so -o is not supported: drop it"},
	"completion zsh":        {why: "completion writes a zsh script only, so -o is not supported: drop it"},
	"completion fish":       {why: "completion writes a fish script only, so -o is not supported: drop it"},
	"completion powershell": {why: "completion writes a powershell script only, so -o is not supported: drop it"},
}

// OutputFormats are the -o values command accepts, the default first
// (get's custom-columns= is its prefix); none for a command that refuses
// -o or checks it itself. Shell completion offers them.
func OutputFormats(command string) []string {
	return commandOutputs[command].formats
}

// CheckOutput checks the -o value format of command (its path without
// "orgctl ") once, before the command runs, and returns the format the
// command is to use: its default when format is "", markdown for "md" and
// table for "text" where the command writes those instead. A value the
// command does not take is an error naming what it takes, or why it takes
// none; resource ("people" or "teams") is what describe suggests getting
// instead. A command not in the table gets format back unchecked.
func CheckOutput(command, format, resource string) (string, error) {
	entry, ok := commandOutputs[command]
	if !ok {
		return format, nil
	}
	for _, alias := range []struct{ from, to string }{{"md", "markdown"}, {"text", "table"}} {
		if format == alias.from && slices.Contains(entry.formats, alias.to) && !slices.Contains(entry.formats, alias.from) {
			format = alias.to
		}
	}
	if format == "" {
		if len(entry.formats) > 0 {
			format = entry.formats[0]
		}
		return format, nil
	}
	if slices.Contains(entry.formats, format) ||
		slices.Contains(entry.formats, CustomColumnsPrefix) && strings.HasPrefix(format, CustomColumnsPrefix) {
		return format, nil
	}
	if entry.why != "" {
		why := entry.why
		if strings.Contains(why, "%[") {
			why = fmt.Sprintf(why, format, resource)
		}
		return "", fmt.Errorf("unknown output format %q: %s", format, why)
	}
	shown := slices.Clone(entry.formats)
	if i := slices.Index(shown, CustomColumnsPrefix); i >= 0 {
		shown[i] += "SPEC"
	}
	return "", fmt.Errorf("unknown output format %q: use %s", format, oneOf(shown))
}
