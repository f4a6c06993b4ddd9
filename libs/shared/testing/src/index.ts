export * from './wait-for';
export * from './unique';
export * from './stack';
export * from './kafka';
export * from './postgres';
