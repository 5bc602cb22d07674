package notice

import (
	"testing"
	"time"
)

func TestOverdue(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC).Add(30 * 24 * time.Hour)
	week := 7 * 24 * time.Hour
	tests := []struct {
		name   string
		status Status
		sent   time.Time
		want   bool
	}{
		{"sent 8 days ago", Sent, now.Add(-8 * 24 * time.Hour), true},
		{"acknowledged 8 days ago", Acknowledged, now.Add(-8 * 24 * time.Hour), true},
		{"sent 6 days ago", Sent, now.Add(-6 * 24 * time.Hour), false},
		{"exactly the period", Sent, now.Add(-week), false},
		{"removed long ago", Removed, now.Add(-80 * 24 * time.Hour), false},
		{"draft", Draft, time.Time{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Notice{Status: tc.status, SentAt: tc.sent}).Overdue(now, week); got != tc.want {
				t.Errorf("Overdue = %v, want %v", got, tc.want)
			}
		})
	}
}
