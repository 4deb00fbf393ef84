"""The logistics provider simulator (a courier's waybill API, EMS-style): waybills, tracking events
on the simulator's clock pushed as signed callbacks, cancellation before pickup."""
