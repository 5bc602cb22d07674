package store

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lurewatch/lure/notice"
)

// auditCall matches the action argument of every way of writing the
// audit log: s.audit(r, "x", …), st.Audit(ctx, actor, "x", …),
// appendAudit(ctx, tx, at, actor, "x", …), and the variable action of a
// review (action := "x").
var auditCall = []*regexp.Regexp{
	regexp.MustCompile(`\.audit\(\s*r\s*,\s*("[^"]*"\s*\+?|[A-Za-z_.]+)`),
	regexp.MustCompile(`\.Audit\(\s*[A-Za-z_.()]+\s*,\s*(?:"[^"]*"|[A-Za-z_.]+)\s*,\s*("[^"]*"\s*\+?|[A-Za-z_.]+)`),
	regexp.MustCompile(`appendAudit\(\s*ctx\s*,\s*tx\s*,\s*[^,]+,\s*[^,]+,\s*("[^"]*"\s*\+?|[A-Za-z_.]+)`),
	regexp.MustCompile(`\baction\s*:?=\s*("[^"]*")`),
}

// auditDynamic expands the actions built at run time: a prefix joined
// with a value, or a variable.
var auditDynamic = map[string][]string{
	`"notice_"+`: func() []string { // notice_<status> for every lifecycle step
		var out []string
		for _, st := range notice.Statuses {
			for _, to := range st.Next() {
				out = append(out, "notice_"+string(to))
			}
		}
		return out
	}(),
	`"user_"+`: {"user_disable", "user_enable"}, // lure users disable|enable
	"action":   nil,                             // the argument of Store.Audit and appendAudit, or a review's action (matched on its own)
}

// TestAuditActionsListEveryAction reads every non-test Go file of the
// module and checks that each audited action is in AuditActions.
func TestAuditActionsListEveryAction(t *testing.T) {
	root := ".."
	found := map[string]string{} // action → file
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range auditCall {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				arg := strings.Join(strings.Fields(m[1]), "")
				if lit, ok := strings.CutPrefix(arg, `"`); ok && !strings.HasSuffix(arg, "+") {
					found[strings.TrimSuffix(lit, `"`)] = path
					continue
				}
				exp, ok := auditDynamic[arg]
				if !ok {
					t.Errorf("%s audits an action built from %s: add its expansion to auditDynamic (%q)", path, arg, m[0])
				}
				for _, a := range exp {
					found[a] = path
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 15 {
		t.Fatalf("found only %d audited actions (%v); did the audit calls change?", len(found), found)
	}
	for a, file := range found {
		if !slices.Contains(AuditActions, a) {
			t.Errorf("%s audits action %q, which store.AuditActions does not list", file, a)
		}
	}
	seen := map[string]bool{}
	for _, a := range AuditActions {
		if seen[a] {
			t.Errorf("AuditActions lists %q twice", a)
		}
		seen[a] = true
		if _, ok := found[a]; !ok {
			t.Errorf("AuditActions lists %q, which nothing audits", a)
		}
	}
}
