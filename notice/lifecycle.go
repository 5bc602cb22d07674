package notice

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lurewatch/lure/ad"
)

// Store is what the lifecycle needs of the notices' storage;
// *store.Notices implements it. Each change runs in one transaction and
// is conditional on a status: when the notice no longer has it, the
// change fails with ErrStatusChanged and changes nothing.
type Store interface {
	// Draft reads, in one transaction, up to d.Limit candidates (confirmed
	// ads in no open notice and not known removed, by site, oldest
	// decision first), asks d.Plan which drafts to make of them and
	// inserts those.
	Draft(ctx context.Context, d Drafting) ([]Notice, error)
	// Get returns a notice with its items and history, or an error
	// wrapping ErrNotFound.
	Get(ctx context.Context, id int64) (Notice, error)
	// StatusOf returns a notice's status, or an error wrapping
	// ErrNotFound.
	StatusOf(ctx context.Context, id int64) (Status, error)
	// SetStatus applies c if the notice is still in c.From.
	SetStatus(ctx context.Context, c Change) error
	// DropItem applies d if the notice is still in d.Status.
	DropItem(ctx context.Context, d ItemDrop) error
}

// Candidate is a confirmed ad a notice may be drafted about.
type Candidate struct {
	Site    string
	Verdict ad.Verdict
	Review  Review
}

// NewNotice is a draft to create: one site, its items in order.
type NewNotice struct {
	Site  string
	Items []Item
}

// Drafting asks a Store for drafts; see Store.Draft.
type Drafting struct {
	Actor                       string
	NotifierName, NotifierEmail string
	// Limit bounds the candidates read.
	Limit int
	Plan  func([]Candidate) []NewNotice
}

// Change is a status change for a Store to apply: the notice moves from
// From to To, setting the Stamp time, with a line in its history and an
// audit entry ("notice_" + To).
type Change struct {
	ID       int64
	From, To Status
	Stamp    Stamp
	Actor    string
	Note     string
	// RequireConfirmed refuses the change with an *UnconfirmedError while
	// some ad of the notice is not confirmed.
	RequireConfirmed bool
	// RecordNotifier records NotifierName and NotifierEmail on the
	// notice.
	RecordNotifier              bool
	NotifierName, NotifierEmail string
	// MarkRemoved marks at once the items whose ads the crawler already
	// found removed.
	MarkRemoved bool
}

// ItemDrop is the removal of one ad from a notice for a Store to apply:
// the notice must still be in Status; an ad not in it fails with
// ErrItemNotFound. When no ad is left the notice moves to Empty, with
// EmptyNote.
type ItemDrop struct {
	ID        int64
	AdID      string
	Actor     string
	Status    Status
	Empty     Status
	EmptyNote string
}

// retries bounds how often a change is checked again after the notice
// moved meanwhile.
const retries = 3

// DraftRequest asks for drafts.
type DraftRequest struct {
	Actor string
	// NotifierName and NotifierEmail are recorded on the drafts; sending
	// records them again.
	NotifierName, NotifierEmail string
	// Describe gives a rule's description from the rule pack; nil leaves
	// descriptions empty.
	Describe func(rule string) string
}

// DraftNotices drafts notices from confirmed ads that are in no open
// notice and not known to be removed: one notice per site (split every
// MaxItems ads), oldest decision first. It returns the new notices
// (without items); none when there is nothing to notify.
func DraftNotices(ctx context.Context, st Store, req DraftRequest) ([]Notice, error) {
	if req.Actor == "" {
		return nil, errors.New("notice: draft notices: no actor")
	}
	return st.Draft(ctx, Drafting{Actor: req.Actor, NotifierName: req.NotifierName, NotifierEmail: req.NotifierEmail,
		Limit: maxDraftAds, Plan: func(cs []Candidate) []NewNotice { return plan(cs, req.Describe) }})
}

// plan groups candidates by site, in the order sites first appear, and
// splits each site's items every MaxItems.
func plan(cs []Candidate, describe func(rule string) string) []NewNotice {
	var sites []string
	bySite := map[string][]Item{}
	for _, c := range cs {
		if _, ok := bySite[c.Site]; !ok {
			sites = append(sites, c.Site)
		}
		bySite[c.Site] = append(bySite[c.Site], NewItem(c.Verdict, c.Review, describe))
	}
	var out []NewNotice
	for _, site := range sites {
		items := bySite[site]
		for len(items) > 0 {
			chunk := items[:min(len(items), MaxItems)]
			items = items[len(chunk):]
			out = append(out, NewNotice{Site: site, Items: chunk})
		}
	}
	return out
}

// Transition moves a notice to another status.
type Transition struct {
	ID    int64
	To    Status
	Actor string
	Note  string
	// NotifierName and NotifierEmail are required to send; sending
	// records them on the notice.
	NotifierName, NotifierEmail string
}

// Move moves a notice along its lifecycle (see Status.Next), stamping the
// time, recording who did it in the notice's history and the audit log,
// and returns the notice as it is then. A move the lifecycle does not
// allow fails with an error wrapping ErrBadTransition; sending without a
// notifier fails with ErrNotifierRequired, and sending while some ads are
// no longer confirmed with an *UnconfirmedError naming them. Sending
// marks at once the items whose ads the crawler already found removed.
func Move(ctx context.Context, st Store, t Transition) (Notice, error) {
	switch {
	case t.Actor == "":
		return Notice{}, errors.New("notice: no actor")
	case !t.To.Valid():
		return Notice{}, fmt.Errorf("%w: unknown status %q", ErrBadTransition, t.To)
	case len(t.Note) > MaxNote:
		return Notice{}, fmt.Errorf("notice: note is %d bytes, limit %d", len(t.Note), MaxNote)
	case t.To == Sent && (strings.TrimSpace(t.NotifierName) == "" || strings.TrimSpace(t.NotifierEmail) == ""):
		return Notice{}, ErrNotifierRequired
	}
	for attempt := 1; ; attempt++ {
		from, err := st.StatusOf(ctx, t.ID)
		if err != nil {
			return Notice{}, err
		}
		if !from.CanBecome(t.To) {
			return Notice{}, fmt.Errorf("%w: %s", ErrBadTransition, badMove(from, t.To))
		}
		send := t.To == Sent
		err = st.SetStatus(ctx, Change{ID: t.ID, From: from, To: t.To, Stamp: t.To.Stamp(), Actor: t.Actor, Note: t.Note,
			RequireConfirmed: send, RecordNotifier: send, NotifierName: t.NotifierName, NotifierEmail: t.NotifierEmail,
			MarkRemoved: send})
		if errors.Is(err, ErrStatusChanged) && attempt < retries {
			continue
		}
		if err != nil {
			return Notice{}, err
		}
		return st.Get(ctx, t.ID)
	}
}

// Drop removes one ad from a draft notice.
type Drop struct {
	ID    int64
	AdID  string
	Actor string
}

// DropItem removes an ad from a draft notice (an ad an analyst no longer
// stands behind), recording it in the notice's history and the audit log
// ("notice_drop_item"), and returns the notice as it is then. Dropping
// the last ad withdraws the notice. The ad is in no open notice
// afterwards, so drafting takes it again if it is confirmed again. A
// notice that is not a draft fails with ErrNotDraft, an ad not in the
// notice with ErrItemNotFound.
func DropItem(ctx context.Context, st Store, d Drop) (Notice, error) {
	if d.Actor == "" {
		return Notice{}, errors.New("notice: no actor")
	}
	for attempt := 1; ; attempt++ {
		status, err := st.StatusOf(ctx, d.ID)
		if err != nil {
			return Notice{}, err
		}
		if status != Draft {
			return Notice{}, fmt.Errorf("%w (notice %d is %s)", ErrNotDraft, d.ID, status)
		}
		err = st.DropItem(ctx, ItemDrop{ID: d.ID, AdID: d.AdID, Actor: d.Actor, Status: Draft,
			Empty: Withdrawn, EmptyNote: "every ad was dropped"})
		if errors.Is(err, ErrStatusChanged) && attempt < retries {
			continue
		}
		if err != nil {
			return Notice{}, err
		}
		return st.Get(ctx, d.ID)
	}
}
