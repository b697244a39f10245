/**
 * Readers for datasets and detector outputs (COCO JSON, COCO results, PASCAL-VOC XML, BDD-100K JSON).
 */
package dev.runa.data;
