#include "../core/rng.h"
