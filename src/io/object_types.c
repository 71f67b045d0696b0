/*
 * The I/O object types: drivers, devices and files, with the procedures the
 * object manager runs when their last handle or reference goes.
 */
#include "io/io.h"
#include "io/io_private.h"

nt_object_type nt_driver_type = {
    .name = "Driver", .pool_tag = 'rDbO', .delete_body = io_driver_delete_body,
};
nt_object_type nt_device_type = {
    .name = "Device", .pool_tag = 'vDbO', .delete_body = io_device_delete_body,
};
nt_object_type nt_file_type = {
    .name = "File", .pool_tag = 'iFbO',
    .last_handle_closed = io_file_last_handle_closed, .delete_body = io_file_delete_body,
};

static POBJECT_TYPE file_type_ptr = &nt_file_type;
static POBJECT_TYPE device_type_ptr = &nt_device_type;
static POBJECT_TYPE driver_type_ptr = &nt_driver_type;
KMH_EXPORT POBJECT_TYPE *IoFileObjectType = &file_type_ptr;
KMH_EXPORT POBJECT_TYPE *IoDeviceObjectType = &device_type_ptr;
KMH_EXPORT POBJECT_TYPE *IoDriverObjectType = &driver_type_ptr;
