/*
 * Memory descriptor lists. A kmhost process has one address space, so an
 * MDL's "system address" is the buffer's own address: mapping records it,
 * and probing checks that the pages are there (raising
 * STATUS_ACCESS_VIOLATION when they are not), as Windows does before it
 * locks them. The PFN array holds the virtual page numbers, so drivers that
 * walk it see consistent values.
 */
#include "io/io.h"
#include "verifier/verifier.h"

#include <stdlib.h>

KMH_EXPORT PMDL IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer, BOOLEAN ChargeQuota,
                              PIRP Irp)
{
    (void)ChargeQuota;
    if (!Length)
        return NULL;
    PMDL mdl = calloc(1, MmSizeOfMdl(VirtualAddress, Length));
    if (!mdl)
        return NULL;
    MmInitializeMdl(mdl, VirtualAddress, Length);
    mdl->MdlFlags = MDL_ALLOCATED_FIXED_SIZE;
    if (Irp) {
        if (!SecondaryBuffer) {
            Irp->MdlAddress = mdl;
        } else {
            PMDL *tail = &Irp->MdlAddress;
            while (*tail)
                tail = &(*tail)->Next;
            *tail = mdl;
        }
    }
    return mdl;
}

KMH_EXPORT void IoFreeMdl(PMDL Mdl)
{
    if (Mdl->MdlFlags & MDL_PAGES_LOCKED)
        vf_report(VF_IRP, "IoFreeMdl", __builtin_return_address(0), "MDL %p freed with its pages still locked",
                  (void *)Mdl);
    free(Mdl);
}

KMH_EXPORT PMDL MmCreateMdl(PMDL MemoryDescriptorList, PVOID Base, SIZE_T Length)
{
    PMDL mdl = MemoryDescriptorList ? MemoryDescriptorList : calloc(1, MmSizeOfMdl(Base, Length));
    if (mdl)
        MmInitializeMdl(mdl, Base, Length);
    return mdl;
}

static void mdl_fill_pfns(PMDL mdl)
{
    PPFN_NUMBER pfns = MmGetMdlPfnArray(mdl);
    size_t pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(MmGetMdlVirtualAddress(mdl), mdl->ByteCount);
    for (size_t i = 0; i < pages; i++)
        pfns[i] = ((ULONG_PTR)mdl->StartVa >> PAGE_SHIFT) + i;
}

KMH_EXPORT void MmProbeAndLockPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode, LOCK_OPERATION Operation)
{
    PMDL mdl = MemoryDescriptorList;
    char *va = MmGetMdlVirtualAddress(mdl);
    bool write = Operation != IoReadAccess;

    if (mdl->MdlFlags & MDL_PAGES_LOCKED)
        vf_report(VF_IRP, "MmProbeAndLockPages", __builtin_return_address(0), "MDL %p is locked already",
                  (void *)mdl);
    if (AccessMode == UserMode && ((ULONG_PTR)va + mdl->ByteCount < (ULONG_PTR)va ||
                                   (ULONG_PTR)va + mdl->ByteCount > MmUserProbeAddress))
        ExRaiseAccessViolation();
    if (!nt_memory_accessible(va, mdl->ByteCount, write))
        ExRaiseStatus(STATUS_ACCESS_VIOLATION);
    mdl_fill_pfns(mdl);
    mdl->MdlFlags |= MDL_PAGES_LOCKED | (write ? MDL_WRITE_OPERATION : 0);
    mdl->Process = AccessMode == UserMode ? PsGetCurrentProcess() : NULL;
}

KMH_EXPORT void MmUnlockPages(PMDL MemoryDescriptorList)
{
    PMDL mdl = MemoryDescriptorList;
    if (!(mdl->MdlFlags & MDL_PAGES_LOCKED)) {
        vf_report(VF_IRP, "MmUnlockPages", __builtin_return_address(0), "MDL %p is not locked", (void *)mdl);
        return;
    }
    mdl->MdlFlags &= ~(MDL_PAGES_LOCKED | MDL_MAPPED_TO_SYSTEM_VA | MDL_WRITE_OPERATION);
    mdl->MappedSystemVa = NULL;
}

KMH_EXPORT void MmBuildMdlForNonPagedPool(PMDL MemoryDescriptorList)
{
    PMDL mdl = MemoryDescriptorList;
    mdl_fill_pfns(mdl);
    mdl->MappedSystemVa = MmGetMdlVirtualAddress(mdl);
    mdl->MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL;
}

KMH_EXPORT PVOID MmMapLockedPagesSpecifyCache(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode,
                                              MEMORY_CACHING_TYPE CacheType, PVOID RequestedAddress,
                                              ULONG BugCheckOnFailure, ULONG Priority)
{
    PMDL mdl = MemoryDescriptorList;
    (void)CacheType;
    (void)RequestedAddress;
    (void)BugCheckOnFailure;
    (void)Priority;
    if (!(mdl->MdlFlags & (MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL | MDL_PARTIAL))) {
        vf_report(VF_IRP, "MmMapLockedPagesSpecifyCache", __builtin_return_address(0),
                  "MDL %p is mapped before its pages are locked", (void *)mdl);
        return NULL;
    }
    if (AccessMode == UserMode)
        return MmGetMdlVirtualAddress(mdl);
    mdl->MappedSystemVa = MmGetMdlVirtualAddress(mdl);
    mdl->MdlFlags |= (mdl->MdlFlags & MDL_PARTIAL) ? MDL_PARTIAL_HAS_BEEN_MAPPED : MDL_MAPPED_TO_SYSTEM_VA;
    return mdl->MappedSystemVa;
}

KMH_EXPORT PVOID MmMapLockedPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode)
{
    return MmMapLockedPagesSpecifyCache(MemoryDescriptorList, AccessMode, MmCached, NULL, TRUE, NormalPagePriority);
}

KMH_EXPORT void MmUnmapLockedPages(PVOID BaseAddress, PMDL MemoryDescriptorList)
{
    (void)BaseAddress;
    MemoryDescriptorList->MdlFlags &= ~(MDL_MAPPED_TO_SYSTEM_VA | MDL_PARTIAL_HAS_BEEN_MAPPED);
    MemoryDescriptorList->MappedSystemVa = NULL;
}

KMH_EXPORT void IoBuildPartialMdl(PMDL SourceMdl, PMDL TargetMdl, PVOID VirtualAddress, ULONG Length)
{
    char *source_va = MmGetMdlVirtualAddress(SourceMdl);
    ULONG offset = (ULONG)((char *)VirtualAddress - source_va);

    if ((char *)VirtualAddress < source_va || offset >= SourceMdl->ByteCount) {
        vf_report(VF_IRP, "IoBuildPartialMdl", __builtin_return_address(0),
                  "address %p is outside the source MDL", VirtualAddress);
        return;
    }
    if (!Length)
        Length = SourceMdl->ByteCount - offset;
    TargetMdl->StartVa = PAGE_ALIGN(VirtualAddress);
    TargetMdl->ByteOffset = BYTE_OFFSET(VirtualAddress);
    TargetMdl->ByteCount = Length;
    TargetMdl->Process = SourceMdl->Process;
    TargetMdl->MdlFlags = (CSHORT)((TargetMdl->MdlFlags & MDL_ALLOCATED_FIXED_SIZE) | MDL_PARTIAL |
                                   (SourceMdl->MdlFlags & MDL_WRITE_OPERATION));
    mdl_fill_pfns(TargetMdl);
    if (SourceMdl->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL)) {
        TargetMdl->MappedSystemVa = VirtualAddress;
        TargetMdl->MdlFlags |= MDL_MAPPED_TO_SYSTEM_VA;
    }
}

KMH_EXPORT BOOLEAN MmIsAddressValid(PVOID VirtualAddress)
{
    return nt_memory_accessible(VirtualAddress, 1, false);
}

KMH_EXPORT PHYSICAL_ADDRESS MmGetPhysicalAddress(PVOID BaseAddress)
{
    PHYSICAL_ADDRESS address;
    address.QuadPart = (LONGLONG)(ULONG_PTR)BaseAddress;
    return address;
}
