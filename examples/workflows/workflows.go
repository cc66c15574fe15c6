// Package workflows holds the GitHub Actions workflows that users copy into
// their org repository and that `orgctl init` writes to .github/workflows:
// the files in this directory are the single source of both.
package workflows

import "embed"

// FS holds orgctl-pr.yaml, orgctl-comment.yaml and orgctl-apply.yaml, the
// workflows orgctl init writes. The other files here are examples users
// copy when they want them (orgctl-consent.yaml: the required check on
// proposal pull requests, for apply --propose).
//
//go:embed orgctl-pr.yaml orgctl-comment.yaml orgctl-apply.yaml
var FS embed.FS

// Names lists the workflow files in FS in the order a reader meets them:
// the pull-request check, the comment it leads to, then apply.
var Names = []string{"orgctl-pr.yaml", "orgctl-comment.yaml", "orgctl-apply.yaml"}
