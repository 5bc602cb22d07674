package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/store"
)

const usersUsage = `Usage:
  lure users add NAME [--role analyst]   add a user; password from stdin or a prompt
  lure users passwd NAME                 set a user's password (ends their sessions)
  lure users disable NAME                disable a user (ends their sessions)
  lure users enable NAME                 enable a user again
  lure users role NAME ROLE              change a user's role (viewer, analyst, admin)
  lure users list                        list users and API tokens
  lure users token --role ROLE --name X  create an API token, printed once
Every subcommand takes --data-dir (env LURE_DATA_DIR, default ` + app.DefaultDataDir + `).
`

// cmdUsers manages dashboard users and API tokens in the store.
func cmdUsers(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usersUsage)
		return fmt.Errorf("%w: users needs a subcommand", errUsage)
	}
	sub, rest := args[0], args[1:]
	fs := flag.NewFlagSet("users "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usersUsage); fs.PrintDefaults() }
	dataDir := dataDirFlag(fs, "data directory holding lure.db")
	role := fs.String("role", string(auth.Analyst), "role: viewer, analyst or admin")
	name := fs.String("name", "", "token name (token)")
	// Flags may come before or after the positional arguments.
	var pos []string
	for {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if err := os.MkdirAll(*dataDir, 0o750); err != nil {
		return fmt.Errorf("users: %w", err)
	}
	st, err := store.Open(ctx, app.Paths(*dataDir).Store)
	if err != nil {
		return err
	}
	defer st.Close()
	accounts := st.Accounts()
	need := func(n int) error {
		if len(pos) != n {
			return fmt.Errorf("%w: users %s takes %d argument(s)", errUsage, sub, n)
		}
		return nil
	}
	switch sub {
	case "add":
		if err := need(1); err != nil {
			return err
		}
		hash, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		u, err := accounts.CreateUser(ctx, pos[0], auth.Role(*role), hash)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", u.Name, u.Role)
		return st.Audit(ctx, "cli", "user_create", nil, map[string]string{"user": u.Name, "role": string(u.Role)})
	case "passwd":
		if err := need(1); err != nil {
			return err
		}
		if _, err := accounts.User(ctx, pos[0]); err != nil {
			return err
		}
		hash, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		if err := accounts.SetPassword(ctx, pos[0], hash); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; their sessions were ended\n", pos[0])
		return st.Audit(ctx, "cli", "user_passwd", nil, map[string]string{"user": pos[0]})
	case "disable", "enable":
		if err := need(1); err != nil {
			return err
		}
		if err := accounts.SetDisabled(ctx, pos[0], sub == "disable"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s %sd\n", pos[0], sub)
		return st.Audit(ctx, "cli", "user_"+sub, nil, map[string]string{"user": pos[0]})
	case "role":
		if err := need(2); err != nil {
			return err
		}
		if err := accounts.SetRole(ctx, pos[0], auth.Role(pos[1])); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is now %s\n", pos[0], pos[1])
		return st.Audit(ctx, "cli", "user_update", nil, map[string]string{"user": pos[0], "role": pos[1]})
	case "list":
		if err := need(0); err != nil {
			return err
		}
		return listUsers(ctx, accounts, stdout)
	case "token":
		if err := need(0); err != nil {
			return err
		}
		secret, hash, err := auth.NewToken()
		if err != nil {
			return err
		}
		t, err := accounts.CreateToken(ctx, *name, auth.Role(*role), hash)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "token %d %q (%s) created; it is shown only this once:\n", t.ID, t.Name, t.Role)
		fmt.Fprintln(stdout, secret)
		return st.Audit(ctx, "cli", "token_create", nil, map[string]any{"token": t.ID, "name": t.Name, "role": t.Role})
	default:
		fmt.Fprint(stderr, usersUsage)
		return fmt.Errorf("%w: unknown users subcommand %q", errUsage, sub)
	}
}

func listUsers(ctx context.Context, accounts *store.Accounts, w io.Writer) error {
	us, err := accounts.Users(ctx)
	if err != nil {
		return err
	}
	ts, err := accounts.Tokens(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tROLE\tSTATE\tCREATED")
	for _, u := range us {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, state, u.CreatedAt.Format("2006-01-02"))
	}
	if len(ts) > 0 {
		fmt.Fprintln(tw, "\nTOKEN\tROLE\tSTATE\tCREATED")
		for _, t := range ts {
			state := "active"
			if t.Revoked {
				state = "revoked"
			}
			fmt.Fprintf(tw, "%d %s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, state, t.CreatedAt.Format("2006-01-02"))
		}
	}
	return tw.Flush()
}

// readPassword reads a new password: with a prompt (not echoed, asked
// twice) on a terminal, else the first line of stdin. It returns its hash.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	var pw string
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "New password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("users: read password: %w", err)
		}
		fmt.Fprint(stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("users: read password: %w", err)
		}
		if string(a) != string(b) {
			return "", errors.New("users: the passwords differ")
		}
		pw = string(a)
	} else {
		line, err := bufio.NewReader(io.LimitReader(stdin, auth.MaxPasswordLength+2)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("users: read password: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return "", fmt.Errorf("users: %w", err)
	}
	return hash, nil
}
