package dashboard

// noticeRouteLabels are the route labels of lure_dashboard_requests_total
// that noticeRoutes uses.
var noticeRouteLabels = []string{}

func (s *server) noticeRoutes(rs routeSet) {}
