package ghsync

import (
	"context"
	"fmt"
	"strings"
)

// Sticky comment outcomes.
const (
	StickyCreated   = "created"
	StickyUpdated   = "updated"
	StickyUnchanged = "unchanged"
)

// stickyComments are orgctl's own comments carrying marker, oldest first.
// Others' comments never count, whatever they contain (a reviewer quoting
// the plan, someone typing the marker): they are never edited or deleted.
func (c *Client) stickyComments(ctx context.Context, number int, marker string) ([]IssueComment, error) {
	comments, err := c.ListComments(ctx, number)
	if err != nil {
		return nil, err
	}
	mine, err := c.ownComments(ctx, comments)
	if err != nil {
		return nil, err
	}
	var out []IssueComment
	for _, cm := range mine {
		if strings.Contains(cm.Body, marker) {
			out = append(out, cm)
		}
	}
	return out, nil
}

// UpsertSticky keeps exactly one comment of orgctl's carrying marker on an
// issue or pull request: it updates the existing one in place (when
// different), creates it when there is none, and removes extra copies of
// its own an interrupted run may have left. Only comments written by
// orgctl's identity are considered. A comment whose answer was lost is
// looked for again before being posted a second time.
func (c *Client) UpsertSticky(ctx context.Context, number int, marker, body string) (string, error) {
	mine, err := c.stickyComments(ctx, number, marker)
	if err != nil {
		return "", err
	}
	if len(mine) == 0 {
		err := c.Comment(ctx, number, body)
		if err == nil {
			return StickyCreated, nil
		}
		if !isWriteLost(err) {
			return "", fmt.Errorf("commenting on #%d in %s: %w", number, c.Repo(), err)
		}
		// The answer was lost: see whether the comment exists before
		// posting again.
		return c.UpsertStickyOnce(ctx, number, marker, body, err)
	}
	outcome := StickyUnchanged
	if normalize(mine[0].Body) != normalize(body) {
		if err := c.EditComment(ctx, mine[0].ID, body); err != nil {
			return "", fmt.Errorf("updating the orgctl comment on #%d in %s: %w", number, c.Repo(), err)
		}
		outcome = StickyUpdated
	}
	for _, extra := range mine[1:] {
		if err := c.DeleteComment(ctx, extra.ID); err != nil && StatusOf(err) != 404 {
			return outcome, fmt.Errorf("removing an extra orgctl comment from #%d in %s: %w", number, c.Repo(), err)
		}
	}
	return outcome, nil
}

// UpsertStickyOnce is the second attempt after a lost answer: it never
// posts when orgctl's comment is already there.
func (c *Client) UpsertStickyOnce(ctx context.Context, number int, marker, body string, first error) (string, error) {
	mine, err := c.stickyComments(ctx, number, marker)
	if err != nil {
		return "", fmt.Errorf("commenting on #%d in %s: %w (and listing comments to check: %v)", number, c.Repo(), first, err)
	}
	if len(mine) > 0 {
		if normalize(mine[0].Body) == normalize(body) {
			return StickyCreated, nil
		}
		if err := c.EditComment(ctx, mine[0].ID, body); err != nil {
			return "", fmt.Errorf("updating the orgctl comment on #%d in %s: %w", number, c.Repo(), err)
		}
		return StickyCreated, nil
	}
	if err := c.Comment(ctx, number, body); err != nil {
		return "", fmt.Errorf("commenting on #%d in %s: %w", number, c.Repo(), err)
	}
	return StickyCreated, nil
}
