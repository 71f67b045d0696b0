/*
 * What the framework device tests share with their KMDF test drivers
 * (fxpnp: a function driver; fxctl: a non-PnP driver with a control
 * device). A driver keeps one struct fxtest in its DRIVER_OBJECT's
 * extension under FXTEST_ID (IoGetDriverObjectExtension): the test sets
 * what the driver should do before it acts, and reads back the callbacks
 * the framework made, in order, as "Name" or "Name(State)".
 */
#ifndef FXTEST_H
#define FXTEST_H

#define FXTEST_ID ((PVOID)(ULONG_PTR)0x46785473) /* "FxTs" */
#define FXTEST_MAX 96

struct fxtest {
    /* Set by the test. */
    NTSTATUS add_status;             /* EvtDriverDeviceAdd's result (after creating the device) */
    NTSTATUS prepare_status;         /* EvtDevicePrepareHardware's */
    NTSTATUS query_stop_status;
    NTSTATUS query_remove_status;
    GUID interface_guid;             /* registered in EvtDriverDeviceAdd when set */
    BOOLEAN filter;                  /* WdfFdoInitSetFilter */
    NTSTATUS create_status;          /* fxfile: how EvtDeviceFileCreate completes the create */
    /* What the driver made and records. */
    WDFDEVICE device;
    WDFDRIVER (*get_driver)(WDFDEVICE device); /* calls WdfDeviceGetDriver */
    void (*delete_device)(void);               /* fxctl: WdfObjectDelete(device) */
    LONG count;
    char log[FXTEST_MAX][48];
};

#endif /* FXTEST_H */
