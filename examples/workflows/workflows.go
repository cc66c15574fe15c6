// Package workflows holds the GitHub Actions workflows that users copy into
// their org repository and that `orgctl init` writes to .github/workflows:
// the files in this directory are the single source of both.
package workflows

import "embed"

// FS holds orgctl-pr.yaml, orgctl-comment.yaml and orgctl-apply.yaml.
//
//go:embed *.yaml
var FS embed.FS

// Names lists the workflow files in FS in the order a reader meets them:
// the pull-request check, the comment it leads to, then apply.
var Names = []string{"orgctl-pr.yaml", "orgctl-comment.yaml", "orgctl-apply.yaml"}
