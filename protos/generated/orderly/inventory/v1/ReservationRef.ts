// Original file: protos/inventory.proto


export interface ReservationRef {
  'reservationId'?: (string);
}

export interface ReservationRef__Output {
  'reservationId': (string);
}
