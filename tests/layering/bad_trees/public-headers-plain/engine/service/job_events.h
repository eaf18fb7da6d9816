#pragma once
// Allowed: std headers and a service header spelled from its own folder.
#include <functional>
