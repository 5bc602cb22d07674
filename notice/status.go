package notice

import (
	"slices"
	"strings"
	"time"
)

// Status is where a notice is in its lifecycle. A notice is drafted, sent
// to its platform, possibly acknowledged, and closed as removed or
// rejected; a draft can be withdrawn instead of sent.
type Status string

// Notice statuses.
const (
	Draft        Status = "draft"
	Sent         Status = "sent"
	Acknowledged Status = "acknowledged"
	Removed      Status = "removed"
	Rejected     Status = "rejected"
	Withdrawn    Status = "withdrawn"
)

// Statuses lists every notice status in lifecycle order.
var Statuses = []Status{Draft, Sent, Acknowledged, Removed, Rejected, Withdrawn}

// OpenStatuses are those of notices still waiting for an outcome.
var OpenStatuses = []Status{Draft, Sent, Acknowledged}

// next is the lifecycle: the statuses a person may move a notice to.
var next = map[Status][]Status{
	Draft:        {Sent, Withdrawn},
	Sent:         {Acknowledged, Removed, Rejected},
	Acknowledged: {Removed, Rejected},
}

// Next returns the statuses a notice in s may move to; closed notices
// (removed, rejected, withdrawn) have none.
func (s Status) Next() []Status { return next[s] }

// Valid reports whether s is a notice status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Open reports whether a notice in s still waits for an outcome (draft,
// sent or acknowledged).
func (s Status) Open() bool { return s == Draft || s == Sent || s == Acknowledged }

// CanBecome reports whether the lifecycle lets a notice in s move to to.
func (s Status) CanBecome(to Status) bool { return slices.Contains(next[s], to) }

// Stamp is the time column a status change sets besides updated_at.
type Stamp int

// Stamps of status changes.
const (
	StampNone         Stamp = iota
	StampSent               // the notice went to the platform
	StampAcknowledged       // the platform acknowledged it
	StampClosed             // the notice got its outcome
)

// Stamp returns the time a move to s records: sending, acknowledgement or
// closing.
func (s Status) Stamp() Stamp {
	switch s {
	case Sent:
		return StampSent
	case Acknowledged:
		return StampAcknowledged
	case Removed, Rejected, Withdrawn:
		return StampClosed
	}
	return StampNone
}

// badMove describes a move the lifecycle does not allow.
func badMove(from, to Status) string {
	allowed := "none: the notice is closed"
	if ns := next[from]; len(ns) > 0 {
		ss := make([]string, len(ns))
		for i, x := range ns {
			ss[i] = string(x)
		}
		allowed = strings.Join(ss, ", ")
	}
	return "a " + string(from) + " notice cannot become " + string(to) + " (allowed: " + allowed + ")"
}

// Overdue reports whether the notice was sent more than period before now
// and has not been closed.
func (n Notice) Overdue(now time.Time, period time.Duration) bool {
	return (n.Status == Sent || n.Status == Acknowledged) && !n.SentAt.IsZero() && now.Sub(n.SentAt) > period
}

// OverdueFilter selects the notices overdue at now: sent or acknowledged
// more than period before.
func OverdueFilter(now time.Time, period time.Duration) Filter {
	return Filter{SentBefore: now.Add(-period)}
}

// AwaitingPlatform are the statuses of notices sent and not yet closed:
// those that can be overdue, and whose ads the crawler's removal checks
// mark removed.
var AwaitingPlatform = []Status{Sent, Acknowledged}
