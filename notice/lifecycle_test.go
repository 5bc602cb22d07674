package notice

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// racingStore is a Store whose notice someone else moves to withdrawn
// between Move's check and its change.
type racingStore struct {
	Store
	status  Status
	changes int
}

func (r *racingStore) StatusOf(context.Context, int64) (Status, error) { return r.status, nil }

func (r *racingStore) SetStatus(_ context.Context, c Change) error {
	r.changes++
	if r.status == Draft {
		r.status = Withdrawn
	}
	if c.From != r.status {
		return ErrStatusChanged
	}
	return nil
}

// TestMoveChecksAgainAfterARace checks that a move whose notice changed
// meanwhile is checked again against the new status.
func TestMoveChecksAgainAfterARace(t *testing.T) {
	st := &racingStore{status: Draft}
	_, err := Move(context.Background(), st, Transition{ID: 1, To: Sent, Actor: "bob", NotifierName: "N", NotifierEmail: "n@x.example"})
	if !errors.Is(err, ErrBadTransition) || !strings.Contains(err.Error(), "a withdrawn notice cannot become sent") {
		t.Errorf("err = %v, want the withdrawn notice refused", err)
	}
	if st.changes != 1 {
		t.Errorf("%d changes tried, want 1", st.changes)
	}
}

func TestLifecycle(t *testing.T) {
	for _, s := range Statuses {
		if !s.Valid() {
			t.Errorf("%s is not valid", s)
		}
		if s.Open() != (len(s.Next()) > 0) {
			t.Errorf("%s: open %v but next %v", s, s.Open(), s.Next())
		}
		for _, to := range s.Next() {
			if !s.CanBecome(to) || to.Stamp() == StampNone {
				t.Errorf("%s → %s: allowed %v, stamp %v", s, to, s.CanBecome(to), to.Stamp())
			}
		}
	}
	if Status("lost").Valid() || Draft.CanBecome(Removed) || Draft.Stamp() != StampNone {
		t.Error("unknown status valid, draft may become removed, or drafting stamps a time")
	}
}
