// SPDX-License-Identifier: MIT
// libm: sqrt, sin, cos, exp, log, pow, floor, ceil, fmod, atan2. Results are
// printed in hex (%a) so one wrong bit shows.
#include <stdio.h>
#include <math.h>

int main(void) {
  static const double xs[] = {0.0, 0.5, 1.0, 2.0, 3.0, 10.0, 0.001, 123.456, 1e5, -0.75, -2.5, 1e-8, 700.0};
  for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    volatile double x = xs[i];
    printf("x=%g sqrt %a sin %a cos %a exp %a\n", x, sqrt(fabs(x)), sin(x), cos(x), exp(x));
    printf("  log %a pow %a pow2 %a floor %a ceil %a\n", x > 0 ? log(x) : 0.0, pow(fabs(x), 1.5), pow(2.0, x),
           floor(x), ceil(x));
    printf("  fmod %a atan2 %a tan %a round %a trunc %a\n", fmod(x, 0.7), atan2(x, 1.5), tan(x), round(x), trunc(x));
    volatile float f = (float)x;
    printf("  sqrtf %a sinf %a expf %a\n", (double)sqrtf(fabsf(f)), (double)sinf(f), (double)expf(f));
  }
  volatile double big = 1e308, tiny = 1e-308;
  printf("%g %g %g %d %d\n", big * 10, tiny / 1e100, sqrt(-1.0) != sqrt(-1.0) ? 1.0 : 0.0, isnan(NAN), isinf(-INFINITY));
  volatile long double l = 2.0L;
  printf("sqrtl %.20Lg\n", sqrtl(l));
  printf("lrint %ld %ld llround %lld\n", lrint(2.5), lrint(-3.5), llround(-2.5));
  return 0;
}
