// Command orgctl treats an organisation's people pairings — who manages,
// mentors and coaches whom — as code: it validates Person, Team and Policy
// documents, previews changes and reconciles GitHub with them.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], systemIO()))
}
