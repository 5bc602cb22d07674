package dashboard

// screenRouteLabels are the route labels of lure_dashboard_requests_total
// that screenRoutes uses.
var screenRouteLabels = []string{}

func (s *server) screenRoutes(rs routeSet) {}
