package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/orgctl/orgctl/reconcile"
)

// NothingSelected says on w (stderr) that orgctl get listed nothing of
// kind: "no people found", or, naming the selectors used as they were
// typed (e.g. "-l office=kyiv"), "no people match -l office=kyiv".
func NothingSelected(w io.Writer, kind string, by ...string) {
	what := reconcile.ResourcePlural(kind)
	if len(by) > 0 {
		fmt.Fprintf(w, "no %s match %s\n", what, strings.Join(by, " "))
		return
	}
	fmt.Fprintf(w, "no %s found\n", what)
}
