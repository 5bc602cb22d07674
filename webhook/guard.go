package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrPrivateAddress is wrapped by the errors of CheckURL and of a
// refused connection: the address is loopback, private (RFC 1918,
// fc00::/7), link-local (169.254.0.0/16 with cloud metadata services,
// fe80::/10), unspecified or multicast.
var ErrPrivateAddress = errors.New("refused: private address")

// thisNetwork is 0.0.0.0/8, which Linux connects to the local host.
var thisNetwork = netip.MustParsePrefix("0.0.0.0/8")

// PrivateAddr reports whether a delivery to ip is refused unless
// Options.AllowPrivate is set.
func PrivateAddr(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	return !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip.IsUnspecified() || thisNetwork.Contains(ip)
}

// CheckURL refuses a subscription URL whose host is "localhost" (or a
// name under .localhost) or a literal private address. Other host names
// pass: the worker checks the addresses they resolve to when it
// connects.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("webhook: url: %w", err)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return fmt.Errorf("webhook: url host %q: %w (loopback)", u.Hostname(), ErrPrivateAddress)
	}
	if ip, err := netip.ParseAddr(host); err == nil && PrivateAddr(ip) {
		return fmt.Errorf("webhook: url host %q: %w (loopback, private, link-local, unspecified or multicast)", u.Hostname(), ErrPrivateAddress)
	}
	return nil
}

// refusePrivate is a net.Dialer Control function: it runs on the
// resolved address before the connection is attempted, so a name that
// resolves (or re-resolves) to a private address is refused too.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("webhook: %w %q", ErrPrivateAddress, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || PrivateAddr(ip) {
		return fmt.Errorf("webhook: %w %s", ErrPrivateAddress, host)
	}
	return nil
}

// guardTransport returns a copy of rt (nil means http.DefaultTransport)
// that connects directly — without a proxy — and only to public
// addresses.
func guardTransport(rt http.RoundTripper) (*http.Transport, error) {
	if rt == nil {
		rt = http.DefaultTransport
	}
	base, ok := rt.(*http.Transport)
	if !ok {
		return nil, errors.New("webhook: Options.Client.Transport must be an *http.Transport unless AllowPrivate is set")
	}
	t := base.Clone()
	t.Proxy = nil
	t.Dial, t.DialTLS, t.DialTLSContext = nil, nil, nil //nolint:staticcheck // cleared so that every connection goes through the check
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: refusePrivate}
	t.DialContext = d.DialContext
	return t, nil
}
