// SPDX-License-Identifier: MIT
/*
 * basalt.efi: the UEFI boot path. A GNU-EFI application carrying the
 * hypervisor image; it reads basalt.cfg from its own directory on the ESP:
 *
 *     options=loglvl=7              hypervisor command line
 *     kernel=vmlinuz console=hvc0   module 0 (dom0 kernel) and its command line
 *     ramdisk=initrd.img            module 1
 *     module=file args...           further modules
 *
 * loads the modules below 1 GiB, builds a multiboot2 information block
 * (command line, modules, RSDP, EFI system table, EFI memory map) exactly as
 * GRUB would, exits boot services and enters the image's 64-bit EFI entry.
 * From there the boot is the common one (arch/x86/setup.c).
 *
 * Built against Debian's gnu-efi without GNU_EFI_USE_MS_ABI: every firmware
 * call goes through uefi_call_wrapper, and efi_main is not EFIAPI.
 */
#include <efi.h>
#include <efilib.h>

#define KERNEL_PA	     0x200000ULL
#define BELOW_1G	     0x3fffffffULL
#define MBI_SIZE	     (64 * 1024)
#define CFG_MAX		     4096
#define MAX_MODULES	     16
#define MB2_BASALT_EFI_MAGIC 0x42454649
#define ARRAY_SIZE(a)	     (sizeof(a) / sizeof((a)[0]))

extern const unsigned char basalt_image[], basalt_image_end[];
extern const unsigned long long basalt_memsz, basalt_efi_entry;

struct mod {
	CHAR16 path[256];
	char args[256];
	EFI_PHYSICAL_ADDRESS pa;
	UINTN size;
};

static EFI_FILE_HANDLE root_dir;
static CHAR16 base_dir[256];
static char options[1024];
static struct mod mods[MAX_MODULES];
static unsigned int nr_mods;

static void fail(const CHAR16 *what, EFI_STATUS st)
{
	Print(L"basalt.efi: %s: %r\n", what, st);
}

/* The directory of this image on its volume, e.g. \EFI\BOOT\ */
static void find_base_dir(EFI_LOADED_IMAGE *li)
{
	CHAR16 *p = DevicePathToStr(li->FilePath);
	UINTN i, cut = 0;

	for (i = 0; p && p[i] && i + 1 < ARRAY_SIZE(base_dir); i++) {
		base_dir[i] = p[i] == L'/' ? L'\\' : p[i];
		if (base_dir[i] == L'\\')
			cut = i + 1;
	}
	base_dir[cut] = 0;
}

static EFI_STATUS read_file(const CHAR16 *name, EFI_PHYSICAL_ADDRESS *pa, UINTN *size, UINTN max)
{
	CHAR16 path[512];
	EFI_FILE_HANDLE f;
	EFI_FILE_INFO *info;
	EFI_STATUS st;

	SPrint(path, sizeof(path), L"%s%s", base_dir, name);
	st = uefi_call_wrapper(root_dir->Open, 5, root_dir, &f, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(f);
	if (!info || (max && info->FileSize > max)) {
		uefi_call_wrapper(f->Close, 1, f);
		return EFI_BAD_BUFFER_SIZE;
	}
	*size = info->FileSize;
	FreePool(info);
	*pa = BELOW_1G;
	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
			       EFI_SIZE_TO_PAGES(*size + 1), pa);
	if (!EFI_ERROR(st)) {
		st = uefi_call_wrapper(f->Read, 3, f, size, (void *)(UINTN)*pa);
		((char *)(UINTN)*pa)[*size] = 0;
	}
	uefi_call_wrapper(f->Close, 1, f);
	return st;
}

static void copy_ascii(char *dst, UINTN max, const char *s, UINTN n)
{
	if (n >= max)
		n = max - 1;
	CopyMem(dst, (void *)s, n);
	dst[n] = 0;
}

/* "key=path args" -> a module (kernel first, ramdisk second, then the rest). */
static void add_module(const char *v, UINTN n)
{
	struct mod *m;
	UINTN i = 0, j;

	if (nr_mods >= MAX_MODULES)
		return;
	m = &mods[nr_mods++];
	for (j = 0; i < n && v[i] != ' ' && j + 1 < ARRAY_SIZE(m->path); i++, j++)
		m->path[j] = (CHAR16)v[i];
	m->path[j] = 0;
	while (i < n && v[i] == ' ')
		i++;
	copy_ascii(m->args, sizeof(m->args), v + i, n - i);
}

static void parse_config(const char *cfg)
{
	while (*cfg) {
		UINTN n = 0;

		while (cfg[n] && cfg[n] != '\n' && cfg[n] != '\r')
			n++;
		if (n > 8 && !CompareMem((void *)cfg, "options=", 8))
			copy_ascii(options, sizeof(options), cfg + 8, n - 8);
		else if (n > 7 && !CompareMem((void *)cfg, "kernel=", 7))
			add_module(cfg + 7, n - 7);
		else if (n > 8 && !CompareMem((void *)cfg, "ramdisk=", 8))
			add_module(cfg + 8, n - 8);
		else if (n > 7 && !CompareMem((void *)cfg, "module=", 7))
			add_module(cfg + 7, n - 7);
		cfg += n;
		while (*cfg == '\n' || *cfg == '\r')
			cfg++;
	}
}

/* ---- the multiboot2 information block ------------------------------------ */

struct mbi {
	UINT8 *buf;
	UINT32 off;
};

static void *mbi_tag(struct mbi *m, UINT32 type, UINT32 size)
{
	UINT32 *t = (UINT32 *)(m->buf + m->off);

	t[0] = type;
	t[1] = size;
	m->off += (size + 7) & ~7U;
	return t;
}

static void mbi_string(struct mbi *m, UINT32 type, const char *s)
{
	UINTN n = strlena((CHAR8 *)s) + 1;

	CopyMem((UINT8 *)mbi_tag(m, type, 8 + n) + 8, (void *)s, n);
}

static void mbi_modules(struct mbi *m)
{
	unsigned int i;

	for (i = 0; i < nr_mods; i++) {
		UINTN n = strlena((CHAR8 *)mods[i].args) + 1;
		UINT32 *t = mbi_tag(m, 3, 16 + n);

		t[2] = (UINT32)mods[i].pa;
		t[3] = (UINT32)(mods[i].pa + mods[i].size);
		CopyMem(&t[4], mods[i].args, n);
	}
}

static void mbi_rsdp(struct mbi *m)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *c = &ST->ConfigurationTable[i];

		if (!CompareGuid(&c->VendorGuid, &acpi20)) {
			CopyMem((UINT8 *)mbi_tag(m, 15, 8 + 36) + 8, c->VendorTable, 36);
			return;
		}
	}
	for (i = 0; i < ST->NumberOfTableEntries; i++)
		if (!CompareGuid(&ST->ConfigurationTable[i].VendorGuid, &acpi10))
			CopyMem((UINT8 *)mbi_tag(m, 14, 8 + 20) + 8,
				ST->ConfigurationTable[i].VendorTable, 20);
}

static void mbi_efi(struct mbi *m, EFI_HANDLE image)
{
	UINT64 *t = mbi_tag(m, 12, 16);

	t[1] = (UINT64)(UINTN)ST;
	t = mbi_tag(m, 20, 16);
	t[1] = (UINT64)(UINTN)image;
}

/*
 * The memory map goes last: fetch it straight into its tag, exit boot
 * services with its key, and close the block. Retried once, as the spec
 * allows ExitBootServices to fail when the map changed.
 */
static EFI_STATUS mbi_mmap_and_exit(struct mbi *m, EFI_HANDLE image)
{
	UINT32 *t = (UINT32 *)(m->buf + m->off);
	UINTN size, key, dsize, tries;
	UINT32 dver;
	EFI_STATUS st = EFI_LOAD_ERROR;

	for (tries = 0; tries < 2; tries++) {
		size = MBI_SIZE - m->off - 16 - 8;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, (EFI_MEMORY_DESCRIPTOR *)(t + 4),
				       &key, &dsize, &dver);
		if (EFI_ERROR(st))
			return st;
		st = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
		if (!EFI_ERROR(st))
			break;
	}
	if (EFI_ERROR(st))
		return st;
	t[0] = 17;
	t[1] = 16 + size;
	t[2] = dsize;
	t[3] = dver;
	m->off += (t[1] + 7) & ~7U;
	mbi_tag(m, 0, 8);
	((UINT32 *)m->buf)[0] = m->off;
	((UINT32 *)m->buf)[1] = 0;
	return EFI_SUCCESS;
}

/* ---- loading -------------------------------------------------------------- */

static EFI_STATUS load_image(void)
{
	EFI_PHYSICAL_ADDRESS pa = KERNEL_PA;
	UINTN filesz = (UINTN)basalt_image_end - (UINTN)basalt_image;
	EFI_STATUS st;

	/* Loader code, not data: firmware may map data non-executable. */
	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress, EfiLoaderCode,
			       EFI_SIZE_TO_PAGES(basalt_memsz), &pa);
	if (EFI_ERROR(st))
		return st;
	CopyMem((void *)(UINTN)pa, (void *)basalt_image, filesz);
	return EFI_SUCCESS;
}

static EFI_STATUS load_modules(void)
{
	unsigned int i;
	EFI_STATUS st;

	for (i = 0; i < nr_mods; i++) {
		st = read_file(mods[i].path, &mods[i].pa, &mods[i].size, 0);
		if (EFI_ERROR(st)) {
			Print(L"basalt.efi: module %s: %r\n", mods[i].path, st);
			return st;
		}
		Print(L"basalt.efi: module %s (%lu bytes) at 0x%lx\n", mods[i].path, mods[i].size,
		      mods[i].pa);
	}
	return EFI_SUCCESS;
}

static EFI_STATUS open_volume(EFI_HANDLE image, EFI_LOADED_IMAGE **li)
{
	EFI_STATUS st =
	    uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)li);

	if (EFI_ERROR(st))
		return st;
	root_dir = LibOpenRoot((*li)->DeviceHandle);
	if (!root_dir)
		return EFI_NOT_FOUND;
	find_base_dir(*li);
	return EFI_SUCCESS;
}

static void read_config(void)
{
	EFI_PHYSICAL_ADDRESS pa;
	UINTN size;

	if (EFI_ERROR(read_file(L"basalt.cfg", &pa, &size, CFG_MAX))) {
		Print(L"basalt.efi: no %sbasalt.cfg, booting without options or modules\n",
		      base_dir);
		return;
	}
	parse_config((const char *)(UINTN)pa);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li;
	EFI_PHYSICAL_ADDRESS mbi_pa = BELOW_1G;
	struct mbi m;
	EFI_STATUS st;
	void (*entry)(UINT32 magic, UINT32 mbi);

	InitializeLib(image, systab);
	Print(L"basalt.efi: loading Basalt\n");
	st = open_volume(image, &li);
	if (EFI_ERROR(st)) {
		fail(L"cannot open the boot volume", st);
		return st;
	}
	read_config();
	st = load_modules();
	if (!EFI_ERROR(st))
		st = load_image();
	if (!EFI_ERROR(st))
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
				       EFI_SIZE_TO_PAGES(MBI_SIZE), &mbi_pa);
	if (EFI_ERROR(st)) {
		fail(L"cannot load", st);
		return st;
	}
	m.buf = (UINT8 *)(UINTN)mbi_pa;
	m.off = 8;
	ZeroMem(m.buf, MBI_SIZE);
	mbi_string(&m, 1, options);
	mbi_string(&m, 2, "basalt.efi (GNU-EFI)");
	mbi_modules(&m);
	mbi_rsdp(&m);
	mbi_efi(&m, image);
	st = mbi_mmap_and_exit(&m, image);
	if (EFI_ERROR(st)) {
		fail(L"cannot exit boot services", st);
		return st;
	}
	entry = (void (*)(UINT32, UINT32))(UINTN)basalt_efi_entry;
	entry(MB2_BASALT_EFI_MAGIC, (UINT32)mbi_pa);
	return EFI_LOAD_ERROR; /* not reached */
}
