package webhook

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lurewatch/lure/store"
)

func TestPrivateAddr(t *testing.T) {
	for _, tc := range []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", true}, {"127.8.9.10", true}, {"::1", true}, {"::ffff:127.0.0.1", true},
		{"10.0.0.1", true}, {"172.16.5.4", true}, {"192.168.1.1", true}, {"fd00::1", true},
		{"169.254.169.254", true}, {"fe80::1%eth0", true}, {"0.0.0.0", true}, {"0.1.2.3", true}, {"::", true},
		{"224.0.0.1", true}, {"ff02::1", true},
		{"93.184.216.34", false}, {"172.32.0.1", false}, {"2606:4700::1111", false}, {"::ffff:8.8.8.8", false},
	} {
		t.Run(tc.ip, func(t *testing.T) {
			if got := PrivateAddr(netip.MustParseAddr(tc.ip)); got != tc.want {
				t.Errorf("PrivateAddr(%s) = %v, want %v", tc.ip, got, tc.want)
			}
		})
	}
}

func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		url     string
		refused bool
	}{
		{"http://127.0.0.1:8080/hook", true},
		{"http://10.0.0.1/", true},
		{"http://[::1]/", true},
		{"http://169.254.169.254/latest/meta-data/", true},
		{"http://[::ffff:169.254.169.254]/", true},
		{"http://0.0.0.0:9000/", true},
		{"http://localhost:9000/", true},
		{"http://LocalHost./", true},
		{"http://api.localhost/", true},
		{"https://platform.example/lure-hook", false},
		{"https://93.184.216.34/hook", false},
	} {
		t.Run(tc.url, func(t *testing.T) {
			err := CheckURL(tc.url)
			if got := errors.Is(err, ErrPrivateAddress); got != tc.refused {
				t.Errorf("CheckURL = %v, want refused %v", err, tc.refused)
			}
		})
	}
}

// TestDialRefusesPrivate checks that the worker's transport refuses
// private addresses before connecting: the Control function runs
// before connect(2), so no packet leaves for these addresses.
func TestDialRefusesPrivate(t *testing.T) {
	tr, err := guardTransport(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"10.0.0.1:80", "169.254.169.254:80", "192.168.0.1:443", "127.0.0.1:1", "[::1]:80"} {
		t.Run(addr, func(t *testing.T) {
			c, err := tr.DialContext(context.Background(), "tcp", addr)
			if err == nil {
				c.Close()
				t.Fatal("dial succeeded")
			}
			if !errors.Is(err, ErrPrivateAddress) {
				t.Errorf("dial error = %v, want %v", err, ErrPrivateAddress)
			}
		})
	}
}

func TestNewRefusesUncheckableTransport(t *testing.T) {
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("unused") })
	if _, err := New(Options{Queue: &store.Webhooks{}, Client: &http.Client{Transport: rt}}); err == nil {
		t.Error("New with a custom RoundTripper and the check on: no error")
	}
	if _, err := New(Options{Queue: &store.Webhooks{}, Client: &http.Client{Transport: rt}, AllowPrivate: true}); err != nil {
		t.Errorf("New with AllowPrivate: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestDeliveryToPrivateAddress delivers to a receiver on 127.0.0.1,
// named "localhost" so that the address is only known after resolution:
// refused by default, delivered with AllowPrivate.
func TestDeliveryToPrivateAddress(t *testing.T) {
	for _, tc := range []struct {
		name         string
		allowPrivate bool
		wantStatus   string
		wantErr      string
		wantRequests int
	}{
		{"refused by default", false, store.DeliveryPending, "refused: private address", 0},
		{"allowed", true, store.DeliveryDelivered, "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, filepath.Join(t.TempDir(), "lure.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			rc := &receiver{codes: []int{204}}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			u, _ := url.Parse(srv.URL)
			hook := "http://localhost:" + u.Port() + "/hook"
			if _, err := st.Webhooks().CreateSubscription(ctx, store.Subscription{Name: "platform-x", URL: hook,
				Sites: []string{"rabota.example"}, Secret: testSecret}); err != nil {
				t.Fatal(err)
			}
			w, err := New(Options{Queue: st.Webhooks(), AllowPrivate: tc.allowPrivate, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			if n, err := w.Enqueue(ctx, flagged("a1", "rabota.example", 90)); err != nil || n != 1 {
				t.Fatalf("Enqueue = %d, %v", n, err)
			}
			if n, err := w.Flush(ctx); err != nil || n != 1 {
				t.Fatalf("Flush = %d, %v", n, err)
			}
			ds, err := st.Webhooks().Deliveries(ctx, store.DeliveryFilter{})
			if err != nil || len(ds) != 1 {
				t.Fatalf("Deliveries = %+v, %v", ds, err)
			}
			d := ds[0]
			t.Logf("delivery log: %s %q", d.Status, d.LastError)
			if d.Status != tc.wantStatus || (tc.wantErr == "") != (d.LastError == "") || !strings.Contains(d.LastError, tc.wantErr) {
				t.Errorf("delivery status %q, error %q; want %q, %q", d.Status, d.LastError, tc.wantStatus, tc.wantErr)
			}
			rc.mu.Lock()
			got := len(rc.bodies)
			rc.mu.Unlock()
			if got != tc.wantRequests {
				t.Errorf("receiver got %d requests, want %d", got, tc.wantRequests)
			}
		})
	}
}

func FuzzCheckURL(f *testing.F) {
	for _, u := range []string{"http://127.0.0.1:8080/", "http://[::ffff:10.0.0.1]/", "http://[fe80::1%25eth0]/", "https://platform.example/hook", "http://localhost/", "://x"} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		err := CheckURL(raw)
		u, perr := url.Parse(raw)
		if perr != nil {
			if err == nil {
				t.Fatalf("CheckURL(%q) accepted an unparsable URL", raw)
			}
			return
		}
		if ip, aerr := netip.ParseAddr(u.Hostname()); aerr == nil && PrivateAddr(ip) && !errors.Is(err, ErrPrivateAddress) {
			t.Fatalf("CheckURL(%q) = %v for private %s", raw, err, ip)
		}
	})
}
