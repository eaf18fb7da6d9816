#include "engine/catalog/database.h"
#include <sqlite3.h>
