/*
 * wdf.h: the KMDF 1.33 umbrella header. A driver includes <ntddk.h> (or
 * <wdm.h>) first and then this; it pulls in every object family in the order
 * the WDK does, because later headers use types from earlier ones.
 *
 * Generated from include/wdf/gen/kmdf-1.33/wdf.h.in by gen_kmdf_headers.py:
 * edit the template, not this file.
 */
#ifndef _WDF_H_
#define _WDF_H_

#ifndef WDF_EXTERN_C
#ifdef __cplusplus
#define WDF_EXTERN_C extern "C"
#define WDF_EXTERN_C_START extern "C" {
#define WDF_EXTERN_C_END }
#else
#define WDF_EXTERN_C
#define WDF_EXTERN_C_START
#define WDF_EXTERN_C_END
#endif
#endif

#ifndef _Dispatch_type_
#include <driverspecs.h>
#endif

WDF_EXTERN_C_START

/* The table pointer carries the version in its name, so a driver that mixes
 * objects built against two KMDF versions fails to link instead of calling
 * through the wrong table. */
#define WdfFunctions WdfFunctions_01033

typedef VOID (*WDFFUNC)(VOID);

/* Defined by the FxDriverEntry stub linked into each driver: hidden, so every
 * driver .so binds its own table. */
extern const WDFFUNC *WdfFunctions __attribute__((visibility("hidden")));
extern WDFFUNC WdfDriverMiniportUnloadOverride __attribute__((visibility("hidden")));

WDF_EXTERN_C_END

#include <wdftypes.h>
#include <wdfglobals.h>
#include <wdffuncenum.h>
#include <wdfstatus.h>
#include <wdfassert.h>
#include <wdfverifier.h>
#include <wdfpool.h>

#include <wdfobject.h>
#include <wdfsync.h>
#include <wdfcore.h>
#include <wdfdriver.h>

#include <wdfqueryinterface.h>
#include <wdfmemory.h>
#include <wdfchildlist.h>
#include <wdffileobject.h>
#include <wdfdevice.h>
#include <wdfcollection.h>
#include <wdfdpc.h>
#include <wdftimer.h>
#include <wdfworkitem.h>
#include <wdfinterrupt.h>
#include <wdfresource.h>

#include <wdfrequest.h>
#include <wdfiotarget.h>
#include <wdfio.h>

#include <wdffdo.h>
#include <wdfpdo.h>
#include <wdfcontrol.h>

#include <wdfwmi.h>
#include <wdfstring.h>
#include <wdfregistry.h>

#include <wdfdmaenabler.h>
#include <wdfdmatransaction.h>
#include <wdfcommonbuffer.h>

#include <wdfbugcodes.h>
#include <wdfroletypes.h>
#include <wdfhwaccess.h>
#include <wdfcompaniontarget.h>

#endif /* _WDF_H_ */
