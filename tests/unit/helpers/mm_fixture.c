// SPDX-License-Identifier: MIT
/* Memory test fixtures: see mm_fixture.h. */
#include <basalt/mm.h>

#include "fake/arch.h"
#include "helpers/mm_fixture.h"
#include "test.h"

unsigned long mm_baseline;

int mm_fixture_setup(void **state)
{
	fake_arch_reset();
	return 0;
}

int mm_fixture_setup_heap(void **state)
{
	fake_arch_reset();
	fake_mem_init_heap(MM_FIXTURE_HEAP_PAGES);
	mm_baseline = page_free_count();
	return 0;
}

int mm_fixture_teardown(void **state)
{
	fake_mem_destroy();
	return 0;
}
